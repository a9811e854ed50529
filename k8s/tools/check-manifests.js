#!/usr/bin/env node
// Offline check of rendered Kubernetes manifests (the output of
// `kubectl kustomize`), no API server needed:
//  1. each document's apiVersion/kind must be a kubernetes-models class
//     (Kubernetes ~1.30); its .validate() (JSON schema: types, required
//     fields, enums) must pass;
//  2. each document is written into a TypeScript file as an object literal
//     passed to that class's constructor, and type-checked (strict): the
//     excess-property check rejects unknown fields at any depth (a typo such
//     as readinesProbe), which the JSON schemas let through;
//  3. project rules: no Secret mounted with subPath (it would never be
//     updated: no credential rotation), and the gateway's config.json in a
//     ConfigMap matches GatewayConfig (proto/.../config.proto, no unknown
//     field), listens on 0.0.0.0, has its spool on an emptyDir large enough
//     and reads its secrets from a Secret directory mount; its metrics port
//     (metricsListenAddress) is on 0.0.0.0, a containerPort named "metrics",
//     the port of the pod's prometheus.io/ annotations, and let in by the
//     NetworkPolicies that select the pod, in a rule of its own (not the
//     gRPC port's); a ConfigMap holding a Grafana dashboard carries the
//     sidecar's label grafana_dashboard: "1"; no document is too large for
//     kubectl apply's last-applied-configuration annotation (256 KiB).
// Usage: check-manifests.js NAME RENDERED.yaml [--emit-ts FILE]
// Prints one line per problem, naming the document and the field; exits 1.
"use strict";
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");
const ts = require("typescript");

const repo = path.resolve(__dirname, "..", "..");
const modelsDir = path.dirname(require.resolve("kubernetes-models/package.json"));
const [name, input, ...rest] = process.argv.slice(2);
if (!name || !input) {
  console.error("usage: check-manifests.js NAME RENDERED.yaml [--emit-ts FILE]");
  process.exit(2);
}
const emitTs = rest[0] === "--emit-ts" ? rest[1] : null;
const problems = [];
const report = (doc, where, msg) =>
  problems.push(`${name}: ${doc ? docName(doc) : "(file)"}${where ? ` ${where}` : ""}: ${msg}`);
const docName = (d) => `${d.kind || "?"}/${(d.metadata && d.metadata.name) || "?"}`;
const joinPath = (p, k) =>
  typeof k === "number" ? `${p}[${k}]`
    : !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) ? `${p}[${JSON.stringify(k)}]`
    : p ? `${p}.${k}` : k;

// --- parse -----------------------------------------------------------------
const docs = [];
for (const d of YAML.parseAllDocuments(fs.readFileSync(input, "utf8"))) {
  for (const e of d.errors) report(null, "", `YAML: ${e.message}`);
  const v = d.toJS();
  if (v === null || v === undefined) continue;
  // kustomize wraps long base64 values over lines; the API server decodes
  // them as Go does, ignoring line breaks. The "byte" schema format does not.
  if (v.kind === "Secret" && v.data && typeof v.data === "object")
    for (const k of Object.keys(v.data))
      if (typeof v.data[k] === "string") v.data[k] = v.data[k].replace(/[\r\n]/g, "");
  docs.push(v);
}
if (docs.length === 0) report(null, "", "no documents rendered");

// --- 1. model class and JSON-schema validation ------------------------------
function modelFor(doc) {
  const { apiVersion, kind } = doc;
  if (typeof apiVersion !== "string" || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) ||
      typeof kind !== "string" || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) return null;
  const file = path.join(modelsDir, apiVersion, `${kind}.js`);
  if (!fs.existsSync(file)) return null;
  const cls = require(file)[kind];
  // Only top-level kinds carry apiVersion/kind (DeploymentSpec does not).
  if (typeof cls !== "function" || cls.kind !== kind || cls.apiVersion !== apiVersion) return null;
  return { cls, module: `kubernetes-models/${apiVersion}/${kind}` };
}

const typed = [];
for (const doc of docs) {
  if (typeof doc !== "object" || Array.isArray(doc)) { report(null, "", "a document is not a mapping"); continue; }
  const model = modelFor(doc);
  if (!model) {
    report(doc, "", `unknown apiVersion/kind "${doc.apiVersion}" "${doc.kind}" (not a Kubernetes 1.30 resource known to kubernetes-models)`);
    continue;
  }
  if (!doc.metadata || !doc.metadata.name) report(doc, "metadata.name", "required");
  try {
    new model.cls(doc).validate();
  } catch (e) {
    for (const err of e.errors || [{ instancePath: "", message: e.message }]) {
      const where = err.instancePath.split("/").slice(1)
        .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"))
        .reduce((p, k) => joinPath(p, /^\d+$/.test(k) ? Number(k) : k), "");
      const extra = err.params && err.params.allowedValues ? ` (${err.params.allowedValues.join(", ")})` : "";
      report(doc, where, `schema: ${err.message}${extra}`);
    }
  }
  typed.push({ doc, model });
}

// --- 2. TypeScript excess-property check ------------------------------------
// One line per key; lineInfo[i] says which document and field line i holds.
const lines = [];
const lineInfo = [];
const put = (text, doc, where) => { lines.push(text); lineInfo.push({ doc, where }); };
function literal(v, doc, where, indent, prefix, suffix) {
  if (v !== null && typeof v === "object") {
    const entries = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    const [open, close] = Array.isArray(v) ? ["[", "]"] : ["{", "}"];
    if (entries.length === 0) return put(`${indent}${prefix}${open}${close}${suffix}`, doc, where);
    put(`${indent}${prefix}${open}`, doc, where);
    for (const [k, x] of entries) {
      const key = typeof k === "number" ? "" : `${JSON.stringify(k)}: `;
      literal(x, doc, joinPath(where, k), indent + "  ", key, ",");
    }
    return put(`${indent}${close}${suffix}`, doc, where);
  }
  put(`${indent}${prefix}${JSON.stringify(v === undefined ? null : v)}${suffix}`, doc, where);
}
put(`// Generated from the rendered overlay "${name}" by k8s/tools/check-manifests.js.`, null, "");
typed.forEach(({ model }, i) => put(`import { ${model.cls.kind} as M${i} } from ${JSON.stringify(model.module)};`, null, ""));
typed.forEach(({ doc }, i) => {
  const { apiVersion, kind, ...body } = doc; // set by the class itself
  literal(body, doc, "", "", `export const d${i} = new M${i}(`, ");");
});
const source = lines.join("\n") + "\n";
if (emitTs) fs.writeFileSync(emitTs, source);

// A virtual file inside the repository, so that imports resolve to its
// node_modules; nothing is written.
const tsFile = path.join(repo, "k8s", ".check", `${name}.ts`);
const options = {
  strict: true, noEmit: true, skipLibCheck: true, types: [], lib: ["lib.es2020.d.ts"],
  target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
};
const host = ts.createCompilerHost(options);
const base = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
host.getSourceFile = (f, lang, ...more) =>
  f === tsFile ? ts.createSourceFile(f, source, lang) : base.getSourceFile.call(host, f, lang, ...more);
host.fileExists = (f) => f === tsFile || base.fileExists.call(host, f);
host.readFile = (f) => (f === tsFile ? source : base.readFile.call(host, f));
for (const d of ts.getPreEmitDiagnostics(ts.createProgram([tsFile], options, host))) {
  const msg = ts.flattenDiagnosticMessageText(d.messageText, " ").replace(/\s+/g, " ");
  if (!d.file || d.file.fileName !== tsFile) { report(null, "", `TypeScript: ${msg}`); continue; }
  const { line } = d.file.getLineAndCharacterOfPosition(d.start);
  const info = lineInfo[line] || {};
  report(info.doc, info.where, `type check: ${msg}`);
}

// --- 3. project rules ---------------------------------------------------------
function podMetaOf(doc) {
  const s = doc.spec || {};
  if (doc.kind === "Pod") return doc.metadata || {};
  if (doc.kind === "CronJob") return (((s.jobTemplate || {}).spec || {}).template || {}).metadata || {};
  return (s.template || {}).metadata || {};
}
function podSpecOf(doc) {
  const s = doc.spec || {};
  if (doc.kind === "Pod") return s;
  if (doc.kind === "CronJob") return (((s.jobTemplate || {}).spec || {}).template || {}).spec;
  return (s.template || {}).spec;
}
const quantity = (q) => {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q));
  const f = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return m ? Number(m[1]) * (m[2] ? f[m[2]] : 1) : NaN;
};

// kubectl apply (client-side) stores the whole object in the annotation
// kubectl.kubernetes.io/last-applied-configuration; annotations may hold
// 262144 bytes in all. A Grafana dashboard grows past that quickly.
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
for (const doc of docs) {
  const bytes = Buffer.byteLength(JSON.stringify(doc)) + LAST_APPLIED.length;
  if (bytes > 262144)
    report(doc, "", `${bytes} bytes: too large for kubectl apply (client-side), whose ${LAST_APPLIED} annotation may hold 262144 bytes; split it, or apply with --server-side`);
}

// Grafana's dashboard sidecar (Grafana and kube-prometheus-stack Helm charts)
// loads ConfigMaps labelled grafana_dashboard: "1".
for (const doc of docs) {
  if (doc.kind !== "ConfigMap" || !doc.data) continue;
  for (const [key, text] of Object.entries(doc.data)) {
    if (!key.endsWith(".json")) continue;
    let v;
    try { v = JSON.parse(text); } catch (e) { continue; }
    const labels = (doc.metadata && doc.metadata.labels) || {};
    if (v && typeof v === "object" && Array.isArray(v.panels) && "schemaVersion" in v && labels.grafana_dashboard !== "1")
      report(doc, "metadata.labels.grafana_dashboard",
        `holds a Grafana dashboard (data["${key}"]) but is not labelled grafana_dashboard: "1": Grafana's sidecar would not load it`);
  }
}

const configs = new Map(); // ConfigMap name -> parsed config.json
for (const doc of docs) {
  if (doc.kind !== "ConfigMap" || !doc.data || !("config.json" in doc.data)) continue;
  try {
    const cfg = JSON.parse(doc.data["config.json"]);
    configs.set(doc.metadata.name, cfg);
    checkGatewayConfig(cfg, (where, msg) => report(doc, `data["config.json"] ${where}`, msg));
  } catch (e) {
    report(doc, 'data["config.json"]', `not JSON: ${e.message}`);
  }
}

const gateways = []; // { doc, container, grpcPort, metricsPort }
for (const doc of docs) {
  const pod = podSpecOf(doc);
  if (!pod || !Array.isArray(pod.containers)) continue;
  const volumes = new Map((pod.volumes || []).map((v) => [v.name, v]));
  pod.containers.forEach((c, ci) => {
    const cpath = `spec.template.spec.containers[${ci}]`;
    const mounts = c.volumeMounts || [];
    mounts.forEach((m, mi) => {
      const v = volumes.get(m.name);
      if (v && v.secret && (m.subPath || m.subPathExpr))
        report(doc, `${cpath}.volumeMounts[${mi}].subPath`,
          `Secret volume "${m.name}" mounted with subPath: the kubelet never updates such a file, so credentials could not rotate; mount the directory`);
    });
    // The gateway: a container that mounts a ConfigMap holding config.json.
    const cfgMount = mounts.find((m) => volumes.get(m.name) && volumes.get(m.name).configMap &&
                                       configs.has(volumes.get(m.name).configMap.name));
    if (!cfgMount) return;
    const cfg = configs.get(volumes.get(cfgMount.name).configMap.name);
    const listen = String(cfg.listenAddress || "127.0.0.1:50051");
    const port = Number(listen.split(":").pop());
    if (!/^(0\.0\.0\.0|\[::\]):\d+$/.test(listen))
      report(doc, `${cpath} config.json listenAddress`, `"${listen}" is unreachable from outside the pod; use 0.0.0.0:${port}`);
    if (!(c.ports || []).some((p) => p.containerPort === port))
      report(doc, `${cpath}.ports`, `no containerPort ${port} (config.json listenAddress)`);
    // Metrics: GET /metrics on metricsListenAddress, scraped per pod.
    const metricsAddr = String(cfg.metricsListenAddress || cfg.metrics_listen_address || "");
    const metricsPort = metricsAddr ? Number(metricsAddr.split(":").pop()) : null;
    if (metricsAddr) {
      if (!/^(0\.0\.0\.0|\[::\]):\d+$/.test(metricsAddr))
        report(doc, `${cpath} config.json metricsListenAddress`, `"${metricsAddr}" is unreachable from outside the pod (Prometheus scrapes the pod's address); use 0.0.0.0:${metricsPort}`);
      const pi = (c.ports || []).findIndex((p) => p.containerPort === metricsPort);
      if (pi < 0)
        report(doc, `${cpath}.ports`, `no containerPort ${metricsPort} (config.json metricsListenAddress)`);
      else if (c.ports[pi].name !== "metrics")
        report(doc, `${cpath}.ports[${pi}].name`, `"${c.ports[pi].name}", not "metrics": PodMonitors (k8s/README.md) find the metrics port by that name`);
    }
    const tpath = doc.kind === "Pod" ? "metadata" : "spec.template.metadata";
    const ann = podMetaOf(doc).annotations || {};
    const annPath = (k) => joinPath(joinPath(tpath, "annotations"), k);
    if (ann["prometheus.io/scrape"] === "true") {
      if (!metricsAddr) {
        report(doc, annPath("prometheus.io/scrape"), `"true", but config.json has no metricsListenAddress: nothing serves /metrics (HubSpotGatewayDown)`);
      } else {
        if (ann["prometheus.io/port"] !== String(metricsPort))
          report(doc, annPath("prometheus.io/port"),
            `${ann["prometheus.io/port"] === undefined ? "missing" : JSON.stringify(ann["prometheus.io/port"])}, but config.json metricsListenAddress is on port ${metricsPort}`);
        const mpath = ann["prometheus.io/path"] === undefined ? "/metrics" : ann["prometheus.io/path"];
        if (mpath !== "/metrics")
          report(doc, annPath("prometheus.io/path"), `${JSON.stringify(mpath)}, but the gateway serves /metrics`);
      }
    }
    gateways.push({ doc, container: c, grpcPort: port, metricsPort });
    const up = cfg.upload || {};
    const spool = mounts.find((m) => m.mountPath === up.spoolDirectory);
    const spoolVol = spool && volumes.get(spool.name);
    if (!spoolVol || !spoolVol.emptyDir) {
      report(doc, `${cpath}.volumeMounts`, `no emptyDir mounted at config.json upload.spoolDirectory "${up.spoolDirectory}"`);
    } else {
      const need = Number(up.spoolWindowBytes ?? 64 * 2 ** 20) * Number(up.maxConcurrentUploads ?? 8);
      const have = quantity(spoolVol.emptyDir.sizeLimit);
      if (!(have >= need))
        report(doc, `spec.template.spec.volumes[name=${spool.name}].emptyDir.sizeLimit`,
          `${spoolVol.emptyDir.sizeLimit} < spoolWindowBytes × maxConcurrentUploads = ${need} bytes`);
    }
    for (const file of secretFiles(cfg)) {
      const m = mounts.find((x) => file.startsWith(x.mountPath.replace(/\/?$/, "/")));
      if (!m || !volumes.get(m.name) || !volumes.get(m.name).secret || m.subPath)
        report(doc, `${cpath}.volumeMounts`, `config.json reads secret "${file}", which is not in a Secret directory mount`);
    }
  });
}

// The NetworkPolicies that select a gateway's pods must let Prometheus reach
// the metrics port, and keep it apart from the gRPC port: a rule admitting
// both would let callers read the metrics and the scraper call the gateway.
const selects = (sel, labels) => {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels || {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions || []) {
    const has = e.key in labels, vals = e.values || [];
    if (e.operator === "In" && !(has && vals.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && vals.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
};
for (const g of gateways) {
  if (!g.metricsPort) continue;
  const labels = podMetaOf(g.doc).labels || {};
  const ns = (g.doc.metadata || {}).namespace;
  const named = (name) => ((g.container.ports || []).find((p) => p.name === name) || {}).containerPort;
  const admits = (rule, n) => !rule.ports || rule.ports.length === 0 || rule.ports.some((p) =>
    (p.protocol || "TCP") === "TCP" &&
    (p.port === undefined ||
     (typeof p.port === "number" ? p.port <= n && n <= (p.endPort || p.port) : named(p.port) === n)));
  const policies = docs.filter((d) => d.kind === "NetworkPolicy" && (d.metadata || {}).namespace === ns &&
    d.spec && selects(d.spec.podSelector, labels) &&
    (!d.spec.policyTypes || d.spec.policyTypes.includes("Ingress")));
  if (policies.length === 0) continue;
  let reachable = false;
  for (const np of policies) {
    (np.spec.ingress || []).forEach((rule, i) => {
      if (!admits(rule, g.metricsPort)) return;
      reachable = true;
      if (admits(rule, g.grpcPort))
        report(np, `spec.ingress[${i}]`, `admits both the gRPC port ${g.grpcPort} and the metrics port ${g.metricsPort} of ${docName(g.doc)}: callers could read the metrics and the scraper call the gateway; give the metrics port a rule of its own`);
    });
  }
  if (!reachable)
    report(policies[0], "spec.ingress", `no rule admits the metrics port ${g.metricsPort} of ${docName(g.doc)} (config.json metricsListenAddress): Prometheus could not scrape it (HubSpotGatewayDown)`);
}

// Files named by {"file": PATH} secrets anywhere in the config.
function secretFiles(v) {
  if (!v || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, x]) => (k === "file" && typeof x === "string" ? [x] : secretFiles(x)));
}

// config.json against GatewayConfig: every key a field (lowerCamelCase or
// proto name), every value of the field's type, as the gateway requires.
function checkGatewayConfig(cfg, bad) {
  const protobuf = require("protobufjs");
  const root = new protobuf.Root();
  root.loadSync(path.join(repo, "proto/hubspot/crm/imports/gateway/v1/config.proto"), { keepCase: true });
  root.resolveAll();
  const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
  const walk = (type, obj, where) => {
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) return bad(where || ".", `must be an object (${type.name})`);
    for (const [k, v] of Object.entries(obj)) {
      const f = Object.values(type.fields).find((x) => x.name === k || camel(x.name) === k);
      const w = joinPath(where, k);
      if (!f) { bad(w, `unknown field: ${type.name} has no "${k}" (the gateway refuses to start)`); continue; }
      const items = f.repeated ? (Array.isArray(v) ? v : (bad(w, "must be a list"), [])) : [v];
      items.forEach((x, i) => value(f, x, f.repeated ? `${w}[${i}]` : w));
    }
  };
  const value = (f, v, w) => {
    const t = f.resolvedType;
    if (t && t.fullName === ".google.protobuf.Duration") {
      if (typeof v !== "string" || !/^-?\d+(\.\d+)?s$/.test(v)) bad(w, `must be a duration such as "30s"`);
    } else if (t instanceof protobuf.Type) walk(t, v, w);
    else if (t instanceof protobuf.Enum) {
      if (!(v in t.values) && !Object.values(t.values).includes(v)) bad(w, `must be one of ${Object.keys(t.values).join(", ")}`);
    } else if (f.type === "string") { if (typeof v !== "string") bad(w, "must be a string"); }
    else if (f.type === "bool") { if (typeof v !== "boolean") bad(w, "must be true or false"); }
    else if (!(typeof v === "number" || (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v)))) bad(w, "must be a number");
  };
  walk(root.lookupType("hubspot.crm.imports.gateway.v1.GatewayConfig"), cfg, "");
}

// --- result -------------------------------------------------------------------
if (problems.length) {
  for (const p of problems) console.error(`FAIL ${p}`);
  console.error(`${name}: ${problems.length} problem(s) in ${docs.length} document(s)`);
  process.exit(1);
}
console.log(`${name}: ${docs.length} documents OK (schema, unknown fields, project rules): ${docs.map(docName).join(", ")}`);
