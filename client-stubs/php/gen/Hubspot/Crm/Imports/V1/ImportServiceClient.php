<?php
// GENERATED CODE -- DO NOT EDIT!

namespace Hubspot\Crm\Imports\V1;

/**
 * HubSpot's CRM Imports API (REST /crm/v3/imports) behind one gateway that
 * holds the HubSpot credentials. Callers never see or send a HubSpot secret.
 *
 * Failures carry a google.rpc.Status with a google.rpc.ErrorInfo (reason =
 * HubSpot's category, metadata with correlationId and subCategory) and a
 * HubSpotError with HubSpot's whole error body; RESOURCE_EXHAUSTED carries a
 * google.rpc.RetryInfo.
 */
class ImportServiceClient extends \Grpc\BaseStub {

    /**
     * @param string $hostname hostname
     * @param array $opts channel options
     * @param \Grpc\Channel $channel (optional) re-use channel object
     */
    public function __construct($hostname, $opts, $channel = null) {
        parent::__construct($hostname, $opts, $channel);
    }

    /**
     * Starts an import (REST POST /crm/v3/imports, multipart/form-data). The
     * first message carries the import request and the list of files; the
     * following messages carry the files' bytes, file after file.
     * @param array $metadata metadata
     * @param array $options call options
     * @return \Grpc\ClientStreamingCall
     */
    public function StartImport($metadata = [], $options = []) {
        return $this->_clientStreamRequest('/hubspot.crm.imports.v1.ImportService/StartImport',
        ['\Hubspot\Crm\Imports\V1\Import','decode'],
        $metadata, $options);
    }

    /**
     * Lists the account's active imports (REST GET /crm/v3/imports).
     * @param \Hubspot\Crm\Imports\V1\ListImportsRequest $argument input argument
     * @param array $metadata metadata
     * @param array $options call options
     * @return \Grpc\UnaryCall
     */
    public function ListImports(\Hubspot\Crm\Imports\V1\ListImportsRequest $argument,
      $metadata = [], $options = []) {
        return $this->_simpleRequest('/hubspot.crm.imports.v1.ImportService/ListImports',
        $argument,
        ['\Hubspot\Crm\Imports\V1\ListImportsResponse', 'decode'],
        $metadata, $options);
    }

    /**
     * Reads one import (REST GET /crm/v3/imports/{importId}).
     * @param \Hubspot\Crm\Imports\V1\GetImportRequest $argument input argument
     * @param array $metadata metadata
     * @param array $options call options
     * @return \Grpc\UnaryCall
     */
    public function GetImport(\Hubspot\Crm\Imports\V1\GetImportRequest $argument,
      $metadata = [], $options = []) {
        return $this->_simpleRequest('/hubspot.crm.imports.v1.ImportService/GetImport',
        $argument,
        ['\Hubspot\Crm\Imports\V1\Import', 'decode'],
        $metadata, $options);
    }

    /**
     * Lists the rows an import could not import (REST GET
     * /crm/v3/imports/{importId}/errors).
     * @param \Hubspot\Crm\Imports\V1\ListImportErrorsRequest $argument input argument
     * @param array $metadata metadata
     * @param array $options call options
     * @return \Grpc\UnaryCall
     */
    public function ListImportErrors(\Hubspot\Crm\Imports\V1\ListImportErrorsRequest $argument,
      $metadata = [], $options = []) {
        return $this->_simpleRequest('/hubspot.crm.imports.v1.ImportService/ListImportErrors',
        $argument,
        ['\Hubspot\Crm\Imports\V1\ListImportErrorsResponse', 'decode'],
        $metadata, $options);
    }

    /**
     * Cancels an active import (REST POST /crm/v3/imports/{importId}/cancel).
     * @param \Hubspot\Crm\Imports\V1\CancelImportRequest $argument input argument
     * @param array $metadata metadata
     * @param array $options call options
     * @return \Grpc\UnaryCall
     */
    public function CancelImport(\Hubspot\Crm\Imports\V1\CancelImportRequest $argument,
      $metadata = [], $options = []) {
        return $this->_simpleRequest('/hubspot.crm.imports.v1.ImportService/CancelImport',
        $argument,
        ['\Hubspot\Crm\Imports\V1\CancelImportResponse', 'decode'],
        $metadata, $options);
    }

}
