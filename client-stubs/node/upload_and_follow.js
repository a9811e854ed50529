#!/usr/bin/env node
// Uploads a CSV through the gateway (StartImport, client streaming), follows
// the import until it ends (GetImport) and lists its errors
// (ListImportErrors).
//
//   node upload_and_follow.js --gateway=127.0.0.1:50051 --request=request.json FILE
//
// Prints one line per step; exits 0 when the import reached DONE. The
// .proto files are loaded at run time (@grpc/proto-loader); gen/ has their
// TypeScript types for typed code.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..', '..');
const grpc = require(require.resolve('@grpc/grpc-js', { paths: [repo] }));
const protoLoader = require(require.resolve('@grpc/proto-loader', { paths: [repo] }));

const CHUNK = 1 << 20;
const FINISHED = new Set(['IMPORT_STATE_DONE', 'IMPORT_STATE_FAILED', 'IMPORT_STATE_CANCELED']);

function parseArgs(argv) {
  const args = { gateway: '127.0.0.1:50051', poll: 1, timeout: 600, files: [] };
  for (const a of argv) {
    const m = /^--([a-z]+)=(.*)$/.exec(a);
    if (m) args[m[1]] = m[2];
    else args.files.push(a);
  }
  if (!args.request || args.files.length !== 1) {
    throw new Error('usage: upload_and_follow.js [--gateway=H:P] --request=request.json FILE');
  }
  return args;
}

function loadService() {
  const definition = protoLoader.loadSync('hubspot/crm/imports/v1/import_service.proto', {
    includeDirs: [path.join(repo, 'proto')],
    longs: String, enums: String, defaults: true, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).hubspot.crm.imports.v1.ImportService;
}

function deadline(seconds) {
  return { deadline: new Date(Date.now() + seconds * 1000) };
}

function sha256Of(file) {
  return new Promise((resolve, reject) => {
    const hash = crypto.createHash('sha256');
    fs.createReadStream(file).on('data', (d) => hash.update(d))
      .on('end', () => resolve(hash.digest())).on('error', reject);
  });
}

// start (the request and the file, with size and SHA-256 for the gateway to
// verify), the file's bytes in 1 MiB chunks with back-pressure, end.
async function startImport(client, requestJson, file) {
  const sha256 = await sha256Of(file);
  return new Promise((resolve, reject) => {
    const call = client.StartImport(deadline(3600), (err, imp) => (err ? reject(err) : resolve(imp)));
    call.write({ start: {
      importRequestJson: requestJson,
      files: [{ fileName: path.basename(file), contentType: 'text/csv',
                sizeBytes: String(fs.statSync(file).size), sha256 }],
    } });
    const stream = fs.createReadStream(file, { highWaterMark: CHUNK });
    stream.on('data', (data) => {
      if (!call.write({ chunk: { fileIndex: 0, data } })) {
        stream.pause();
        call.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => { call.write({ end: {} }); call.end(); });
    stream.on('error', (e) => { call.cancel(); reject(e); });
  });
}

function unary(client, method, request) {
  return new Promise((resolve, reject) =>
    client[method](request, deadline(30), (err, res) => (err ? reject(err) : resolve(res))));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const ImportService = loadService();
  const client = new ImportService(args.gateway, grpc.credentials.createInsecure());
  const requestJson = fs.readFileSync(args.request, 'utf8');

  let imp = await startImport(client, requestJson, args.files[0]);
  console.log(`started import ${imp.id} (${imp.stateRaw})`);
  const giveUp = Date.now() + Number(args.timeout) * 1000;
  while (!FINISHED.has(imp.state)) {
    if (Date.now() > giveUp) {
      console.log(`still ${imp.stateRaw} after ${args.timeout}s`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, Number(args.poll) * 1000));
    imp = await unary(client, 'GetImport', { importId: imp.id });
    console.log(`import ${imp.id} is ${imp.stateRaw}`);
  }
  const counters = Object.entries(imp.metadata.counters).sort(([a], [b]) => (a < b ? -1 : 1));
  console.log('counters ' + counters.map(([k, v]) => `${k}=${v}`).join(' '));

  let after = '';
  do {
    const page = await unary(client, 'ListImportErrors', {
      importId: imp.id, after, limit: 100, includeErrorMessage: true, includeRowData: true,
    });
    for (const e of page.results) {
      console.log(`error line ${e.sourceData.lineNumber} ${e.errorTypeRaw}: ${e.errorMessage}`);
    }
    after = page.paging && page.paging.next ? page.paging.next.after : '';
  } while (after);
  client.close();
  return imp.state === 'IMPORT_STATE_DONE' ? 0 : 1;
}

main().then((code) => process.exit(code), (err) => {
  console.error(`failed: ${err.code !== undefined ? grpc.status[err.code] : ''}: ${err.details || err.message}`);
  process.exit(2);
});
