// Command upload_and_follow uploads a CSV through the gateway (StartImport,
// client streaming), follows the import until it ends (GetImport) and lists
// its errors (ListImportErrors).
//
//	upload_and_follow -gateway 127.0.0.1:50051 -request request.json FILE
//
// It prints one line per step and exits 0 when the import reached DONE.
// Build (GOPATH mode, Debian's Go packages):
//
//	GOPATH=$PWD/client-stubs/go/gen:/usr/share/gocode GO111MODULE=off GOPROXY=off \
//	  go build -o upload_and_follow ./client-stubs/go/upload_and_follow
package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"google.golang.org/grpc"

	importsv1 "hubspot/crm/imports/v1"
)

const chunkSize = 1 << 20

func fileDigest(path string) ([]byte, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	return h.Sum(nil), n, err
}

// startImport sends start (the request and the file, with size and SHA-256
// for the gateway to verify), the file's bytes in 1 MiB chunks, then end.
func startImport(ctx context.Context, client importsv1.ImportServiceClient, requestJSON, path string) (*importsv1.Import, error) {
	digest, size, err := fileDigest(path)
	if err != nil {
		return nil, err
	}
	stream, err := client.StartImport(ctx)
	if err != nil {
		return nil, err
	}
	err = stream.Send(&importsv1.StartImportRequest{Message: &importsv1.StartImportRequest_Start{
		Start: &importsv1.StartImportHeader{
			ImportRequest: &importsv1.StartImportHeader_ImportRequestJson{ImportRequestJson: requestJSON},
			Files: []*importsv1.UploadFile{{
				FileName: filepath.Base(path), ContentType: "text/csv",
				SizeBytes: &size, Sha256: digest,
			}},
		}}})
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buffer := make([]byte, chunkSize)
	for {
		n, readErr := f.Read(buffer)
		if n > 0 {
			chunk := &importsv1.StartImportRequest{Message: &importsv1.StartImportRequest_Chunk{
				Chunk: &importsv1.FileChunk{FileIndex: 0, Data: append([]byte(nil), buffer[:n]...)}}}
			if err := stream.Send(chunk); err != nil {
				return nil, err
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return nil, readErr
		}
	}
	end := &importsv1.StartImportRequest{Message: &importsv1.StartImportRequest_End{End: &importsv1.UploadEnd{}}}
	if err := stream.Send(end); err != nil {
		return nil, err
	}
	return stream.CloseAndRecv()
}

func finished(s importsv1.ImportState) bool {
	return s == importsv1.ImportState_IMPORT_STATE_DONE ||
		s == importsv1.ImportState_IMPORT_STATE_FAILED ||
		s == importsv1.ImportState_IMPORT_STATE_CANCELED
}

func run() (int, error) {
	gateway := flag.String("gateway", "127.0.0.1:50051", "the gateway's address")
	requestPath := flag.String("request", "", "HubSpot importRequest JSON file")
	poll := flag.Duration("poll", time.Second, "time between GetImports")
	timeout := flag.Duration("timeout", 10*time.Minute, "how long to wait for the end")
	flag.Parse()
	if *requestPath == "" || flag.NArg() != 1 {
		return 2, fmt.Errorf("usage: upload_and_follow [-gateway H:P] -request request.json FILE")
	}
	requestJSON, err := os.ReadFile(*requestPath)
	if err != nil {
		return 2, err
	}
	conn, err := grpc.Dial(*gateway, grpc.WithInsecure())
	if err != nil {
		return 2, err
	}
	defer conn.Close()
	client := importsv1.NewImportServiceClient(conn)

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	imp, err := startImport(ctx, client, string(requestJSON), flag.Arg(0))
	if err != nil {
		return 2, err
	}
	fmt.Printf("started import %d (%s)\n", imp.Id, imp.StateRaw)
	giveUp := time.Now().Add(*timeout)
	for !finished(imp.State) {
		if time.Now().After(giveUp) {
			fmt.Printf("still %s after %s\n", imp.StateRaw, *timeout)
			return 1, nil
		}
		time.Sleep(*poll)
		call, cancelCall := context.WithTimeout(context.Background(), 30*time.Second)
		imp, err = client.GetImport(call, &importsv1.GetImportRequest{ImportId: imp.Id})
		cancelCall()
		if err != nil {
			return 2, err
		}
		fmt.Printf("import %d is %s\n", imp.Id, imp.StateRaw)
	}
	counters := imp.GetMetadata().GetCounters()
	names := make([]string, 0, len(counters))
	for name := range counters {
		names = append(names, name)
	}
	sort.Strings(names)
	line := "counters"
	for _, name := range names {
		line += fmt.Sprintf(" %s=%d", name, counters[name])
	}
	fmt.Println(line)

	after := ""
	for {
		call, cancelCall := context.WithTimeout(context.Background(), 30*time.Second)
		yes := true
		page, err := client.ListImportErrors(call, &importsv1.ListImportErrorsRequest{
			ImportId: imp.Id, After: after, Limit: 100,
			IncludeErrorMessage: &yes, IncludeRowData: &yes})
		cancelCall()
		if err != nil {
			return 2, err
		}
		for _, e := range page.Results {
			fmt.Printf("error line %d %s: %s\n", e.GetSourceData().GetLineNumber(), e.ErrorTypeRaw, e.ErrorMessage)
		}
		after = page.GetPaging().GetNext().GetAfter()
		if after == "" {
			break
		}
	}
	if imp.State == importsv1.ImportState_IMPORT_STATE_DONE {
		return 0, nil
	}
	return 1, nil
}

func main() {
	code, err := run()
	if err != nil {
		fmt.Fprintln(os.Stderr, "failed:", err)
	}
	os.Exit(code)
}
