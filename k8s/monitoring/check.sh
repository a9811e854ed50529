#!/usr/bin/env bash
# Offline checks of the monitoring assets in k8s/monitoring; no Prometheus,
# no Grafana, no network.
#
#   k8s/monitoring/check.sh              check the rules, their tests, the
#                                        sample exposition and the dashboard
#   k8s/monitoring/check.sh --self-test  break copies on purpose and require
#                                        that each break fails, as it should
#
# Steps (each failure is one or more lines "FAIL <file>: <what>"):
#  1. promtool check rules alerts.yaml, promtool test rules alerts_test.yaml;
#  2. promtool check metrics on metrics-sample.prom, the metrics contract: a
#     sample /metrics page with every family the gateway exports;
#  3. the rule file's conventions: every alert has for, a severity label
#     (critical, warning or info), a summary and a description naming its
#     runbook section; every metric an expression reads is in the contract
#     (or recorded here); every alert has a test where it fires and one
#     where it must not; the spool alert's 576Mi is the spool emptyDir's
#     sizeLimit in ../base/deployment.yaml;
#  4. the dashboard: valid JSON, schemaVersion >= 36, variables datasource
#     (Prometheus), job, instance and account; every panel has an id, a
#     title, a description and the ${datasource} variable as data source;
#     every query parses (promtool), reads only metrics and labels of the
#     contract, filters by $job and $instance (and $account where the
#     metric has an account), and returns data from the sample exposition
#     (promtool test rules), so a wrong label value is caught too;
#  5. The project README (../../README.md) names every alert and every panel.
#
# Needs promtool (Debian: apt-get install --no-install-recommends
# prometheus) and python3 with PyYAML (Debian: python3-yaml).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

PROMTOOL=${PROMTOOL:-promtool}
if [ -z "${PYTHON:-}" ]; then
  # Debian's python3 has python3-yaml; a python3 earlier on PATH may not.
  if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi

check_dir() {  # MONITORING_DIR: prints ok/FAIL lines; non-zero on failure
  local dir=$1 rc=0 out
  if out=$(cd "$dir" && "$PROMTOOL" check rules alerts.yaml 2>&1); then
    echo "ok   promtool check rules alerts.yaml ($(grep -o '[0-9]* rules found' <<<"$out"))"
  else
    echo "FAIL alerts.yaml: promtool check rules:"; sed 's/^/    /' <<<"$out"; rc=1
  fi
  if out=$(cd "$dir" && "$PROMTOOL" test rules alerts_test.yaml 2>&1); then
    echo "ok   promtool test rules alerts_test.yaml"
  else
    echo "FAIL alerts_test.yaml: promtool test rules:"; sed 's/^/    /' <<<"$out"; rc=1
  fi
  if out=$("$PROMTOOL" check metrics <"$dir/metrics-sample.prom" 2>&1); then
    echo "ok   promtool check metrics < metrics-sample.prom"
  else
    echo "FAIL metrics-sample.prom: promtool check metrics:"; sed 's/^/    /' <<<"$out"; rc=1
  fi
  PROMTOOL=$PROMTOOL "$PYTHON" - "$dir" <<'PY' || rc=1
import json, os, re, subprocess, sys, tempfile

import yaml

d = sys.argv[1]
promtool = os.environ["PROMTOOL"]
fails = []


def fail(where, msg):
    fails.append(f"FAIL {where}: {msg}")


# ---------------------------------------------------------------- contract
# metric name -> set of label names, from the sample exposition. Histograms
# give _bucket (with le), _sum and _count. Every series also has the scrape's
# job and instance; up is Prometheus' own.
TARGET_LABELS = {"job", "instance"}
contract = {"up": set(TARGET_LABELS)}
families = {}
samples = []  # (name, {label: value}, value, kind)
try:
    sample_text = open(os.path.join(d, "metrics-sample.prom")).read()
except OSError as e:
    fail("metrics-sample.prom", str(e))
    sample_text = ""
sample_re = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$')
label_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:\\.|[^"\\])*)"')
for line in sample_text.splitlines():
    m = re.match(r'^# TYPE (\S+) (\S+)$', line)
    if m:
        families[m.group(1)] = m.group(2)
        continue
    if not line.strip() or line.startswith("#"):
        continue
    m = sample_re.match(line)
    if not m:
        fail("metrics-sample.prom", f"cannot read sample line {line!r}")
        continue
    name, labels, value = m.group(1), dict(label_re.findall(m.group(2) or "")), m.group(3)
    family = name
    for suffix in ("_bucket", "_sum", "_count"):
        if name.endswith(suffix) and families.get(name[: -len(suffix)]) == "histogram":
            family = name[: -len(suffix)]
    kind = families.get(family)
    if kind is None:
        fail("metrics-sample.prom", f"{name} has no # TYPE line")
        continue
    contract.setdefault(name, set(TARGET_LABELS)).update(labels)
    samples.append((name, labels, value, kind))

# ---------------------------------------------------------------- PromQL
FUNCTIONS = set("""abs absent absent_over_time acos acosh asin asinh atan atanh avg_over_time ceil changes
clamp clamp_max clamp_min cos cosh count_over_time day_of_month day_of_week day_of_year days_in_month deg
delta deriv exp floor histogram_quantile holt_winters hour idelta increase irate label_join label_replace
last_over_time ln log10 log2 max_over_time min_over_time minute month pi predict_linear present_over_time
quantile_over_time rad rate resets round scalar sgn sin sinh sort sort_desc sqrt stddev_over_time
stdvar_over_time sum_over_time tan tanh time timestamp vector year""".split())
AGGREGATORS = set("sum min max avg group stddev stdvar count count_values bottomk topk quantile".split())
KEYWORDS = set("and or unless bool offset atan2 inf nan".split())
GROUPING = set("by without on ignoring group_left group_right".split())
TOKEN = re.compile(r'''
   (?P<ws>\s+)
 | (?P<str>"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`[^`]*`)
 | (?P<range>\[[^\]]*\])
 | (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:ms|[smhdwy])?(?:\d+(?:ms|[smhdwy]))*)
 | (?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
 | (?P<op>==|!=|=~|!~|>=|<=|[-+*/%^(){},=<>@])
 | (?P<var>\$\{?\w+\}?)
''', re.X)


def tokens(expr):
    pos, out = 0, []
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if not m:
            raise ValueError(f"cannot read {expr[pos:pos + 20]!r}")
        pos = m.end()
        if m.lastgroup != "ws":
            out.append((m.lastgroup, m.group()))
    return out


def selectors(expr):
    """[(metric, [(label, op, quoted value)])] and problems, of one PromQL expression."""
    try:
        toks = tokens(expr)
    except ValueError as e:
        return [], [str(e)]
    sels, errs, i = [], [], 0

    def matchers(i):  # toks[i] is "{"
        out, i = [], i + 1
        while i < len(toks) and toks[i] != ("op", "}"):
            if toks[i] == ("op", ","):
                i += 1
                continue
            if (i + 2 < len(toks) and toks[i][0] == "ident" and toks[i + 1][1] in ("=", "!=", "=~", "!~")
                    and toks[i + 2][0] == "str"):
                out.append((toks[i][1], toks[i + 1][1], toks[i + 2][1]))
                i += 3
            else:
                errs.append(f"cannot read label matcher at {toks[i][1]!r}")
                i += 1
        return out, i + 1

    while i < len(toks):
        kind, text = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if kind == "ident" and text.lower() in GROUPING:
            i += 1
            if i < len(toks) and toks[i] == ("op", "("):
                while i < len(toks) and toks[i] != ("op", ")"):
                    i += 1
                i += 1
        elif kind == "ident" and text.lower() in KEYWORDS:
            i += 1
        elif kind == "ident" and (text in AGGREGATORS or nxt == ("op", "(")):
            if text not in FUNCTIONS and text not in AGGREGATORS:
                errs.append(f"unknown function {text}")
            i += 1
        elif kind == "ident":
            i += 1
            ms = []
            if i < len(toks) and toks[i] == ("op", "{"):
                ms, i = matchers(i)
            sels.append((text, ms))
        elif (kind, text) == ("op", "{"):
            ms, i = matchers(i)
            errs.append("a selector without a metric name")
        elif kind == "var":
            errs.append(f"variable {text} outside a label value")
            i += 1
        else:
            i += 1
    return sels, errs


# ---------------------------------------------------------------- alerts.yaml
SEVERITIES = {"critical", "warning", "info"}
alerts, records, rule_exprs = [], set(), []
try:
    rules_doc = yaml.safe_load(open(os.path.join(d, "alerts.yaml")))
    for group in rules_doc.get("groups") or []:
        for rule in group.get("rules") or []:
            if "record" in rule:
                records.add(rule["record"])
                rule_exprs.append((f"record {rule['record']}", str(rule.get("expr", ""))))
                continue
            name = rule.get("alert", "?")
            alerts.append(name)
            rule_exprs.append((f"alert {name}", str(rule.get("expr", ""))))
            if "for" not in rule:
                fail("alerts.yaml", f"{name}: no for: (a single bad scrape would fire it)")
            severity = (rule.get("labels") or {}).get("severity")
            if severity not in SEVERITIES:
                fail("alerts.yaml", f"{name}: labels.severity is {severity!r}, not one of {sorted(SEVERITIES)}")
            ann = rule.get("annotations") or {}
            for key in ("summary", "description"):
                if not str(ann.get(key, "")).strip():
                    fail("alerts.yaml", f"{name}: no annotations.{key}")
            if f"Runbook: README, Operations, {name}." not in str(ann.get("description", "")):
                fail("alerts.yaml", f"{name}: the description does not end with its runbook section "
                                    f"(\"Runbook: README, Operations, {name}.\")")
except (OSError, yaml.YAMLError, AttributeError, TypeError) as e:
    fail("alerts.yaml", f"cannot read: {e}")
for where, expr in rule_exprs:
    sels, errs = selectors(expr)
    for e in errs:
        fail("alerts.yaml", f"{where}: {e}")
    for metric, ms in sels:
        if metric in records:
            continue
        if metric not in contract:
            fail("alerts.yaml", f"{where}: unknown metric {metric} (not in metrics-sample.prom)")
            continue
        for label, _, _ in ms:
            if label not in contract[metric]:
                fail("alerts.yaml", f"{where}: {metric} has no label {label}")
clash = records & set(contract)
if clash:
    fail("alerts.yaml", f"recording rules named like exported metrics: {sorted(clash)}")

# Every alert fires in some test and stays quiet in another.
try:
    tests_doc = yaml.safe_load(open(os.path.join(d, "alerts_test.yaml")))
    fires, quiet = set(), set()
    for test in tests_doc.get("tests") or []:
        for t in test.get("alert_rule_test") or []:
            (fires if t.get("exp_alerts") else quiet).add(t.get("alertname"))
    for name in alerts:
        if name not in fires:
            fail("alerts_test.yaml", f"no test where {name} fires")
        if name not in quiet:
            fail("alerts_test.yaml", f"no test where {name} must stay quiet")
except (OSError, yaml.YAMLError, AttributeError, TypeError) as e:
    fail("alerts_test.yaml", f"cannot read: {e}")

# The spool alert's limit is the Deployment's spool emptyDir sizeLimit.
deployment = os.path.normpath(os.path.join(d, "..", "base", "deployment.yaml"))
try:
    size_limit = None
    for doc in yaml.safe_load_all(open(deployment)):
        for vol in (((doc or {}).get("spec") or {}).get("template") or {}).get("spec", {}).get("volumes") or []:
            if vol.get("name") == "spool":
                size_limit = str((vol.get("emptyDir") or {}).get("sizeLimit"))
    m = re.fullmatch(r"(\d+)Mi", size_limit or "")
    if not m:
        fail("alerts.yaml", f"{deployment}: spool emptyDir sizeLimit {size_limit!r} is not NNNMi")
    else:
        mib = m.group(1)
        text = open(os.path.join(d, "alerts.yaml")).read()
        used = set(re.findall(r"0\.9 \* (\d+) \* 1024 \* 1024", text)) | set(re.findall(r"\((\d+)Mi\)", text))
        if used != {mib}:
            fail("alerts.yaml", f"HubSpotGatewaySpoolNearSizeLimit uses {sorted(used)} MiB, but the spool "
                                f"emptyDir's sizeLimit in {os.path.relpath(deployment, d)} is {mib}Mi")
except OSError as e:
    fail("alerts.yaml", f"cannot read the Deployment for the spool sizeLimit: {e}")

# ---------------------------------------------------------------- dashboard
DS = {"type": "prometheus", "uid": "${datasource}"}
SUBST = [("${__rate_interval}", "5m"), ("$__rate_interval", "5m"), ("$__interval", "1m"),
         ("$__range", "1h"), ('"$job"', '"hubspot-imports-gateway"'), ('"$instance"', '".+"'),
         ('"$account"', '".+"')]
queries = []  # (rule name, what, PromQL for promtool)
titles = []
dash_file = "grafana-dashboard.json"
try:
    dash = json.load(open(os.path.join(d, dash_file)))
except (OSError, ValueError) as e:
    fail(dash_file, f"not valid JSON: {e}")
    dash = None
if dash is not None:
    if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 36:
        fail(dash_file, f"schemaVersion {dash.get('schemaVersion')!r}: want 36 or later (Grafana 9.1+)")
    for key in ("title", "uid"):
        if not dash.get(key):
            fail(dash_file, f"no {key}")
    variables = {v.get("name"): v for v in (dash.get("templating") or {}).get("list") or []}
    ds_var = variables.get("datasource") or {}
    if ds_var.get("type") != "datasource" or ds_var.get("query") != "prometheus":
        fail(dash_file, "no variable \"datasource\" of type datasource for prometheus")
    for name in ("job", "instance", "account"):
        v = variables.get(name)
        if not v or v.get("type") != "query":
            fail(dash_file, f"no query variable \"{name}\"")
    for name, v in variables.items():
        if v.get("type") != "query":
            continue
        if v.get("datasource") != DS:
            fail(dash_file, f"variable {name}: datasource is {v.get('datasource')!r}, not {DS}")
        q = v.get("query")
        q = q.get("query", "") if isinstance(q, dict) else str(q or "")
        m = re.fullmatch(r"\s*label_values\((.*),\s*([a-zA-Z_]\w*)\s*\)\s*", q)
        if not m:
            fail(dash_file, f"variable {name}: query {q!r} is not label_values(selector, label)")
            continue
        sels, errs = selectors(m.group(1))
        for e in errs:
            fail(dash_file, f"variable {name}: {e}")
        for metric, ms in sels:
            if metric not in contract:
                fail(dash_file, f"variable {name}: unknown metric {metric}")
            elif m.group(2) not in contract[metric]:
                fail(dash_file, f"variable {name}: {metric} has no label {m.group(2)}")
        expr = m.group(1)
        for a, b in SUBST:
            expr = expr.replace(a, b)
        queries.append((f"variable_{name}", f"variable {name}", f"count({expr}) > 0"))

    def walk(panels):
        for p in panels or []:
            yield p
            yield from walk(p.get("panels"))

    ids = set()
    for p in walk(dash.get("panels")):
        pid, title = p.get("id"), p.get("title")
        where = f"panel {pid} {title!r}"
        if not isinstance(pid, int) or pid in ids:
            fail(dash_file, f"{where}: id missing or used twice")
        ids.add(pid)
        if not (title or "").strip():
            fail(dash_file, f"{where}: no title")
        grid = p.get("gridPos") or {}
        if not all(isinstance(grid.get(k), int) for k in ("x", "y", "w", "h")):
            fail(dash_file, f"{where}: gridPos needs x, y, w and h")
        if p.get("type") == "row":
            continue
        titles.append(title or "")
        if not (p.get("description") or "").strip():
            fail(dash_file, f"{where}: no description")
        if p.get("datasource") != DS:
            fail(dash_file, f"{where}: datasource is {p.get('datasource')!r}, not the variable {DS}")
        targets = p.get("targets") or []
        if not targets:
            fail(dash_file, f"{where}: no query")
        refs = set()
        for t in targets:
            ref = t.get("refId")
            twhere = f"{where} query {ref}"
            if not ref or ref in refs:
                fail(dash_file, f"{twhere}: refId missing or used twice")
            refs.add(ref)
            if "datasource" in t and t["datasource"] != DS:
                fail(dash_file, f"{twhere}: datasource is {t['datasource']!r}, not the variable {DS}")
            expr = (t.get("expr") or "").strip()
            if not expr:
                fail(dash_file, f"{twhere}: empty expr")
                continue
            sels, errs = selectors(expr)
            for e in errs:
                fail(dash_file, f"{twhere}: {e}")
            for metric, ms in sels:
                if metric not in contract:
                    fail(dash_file, f"{twhere}: unknown metric {metric} (not in metrics-sample.prom)")
                    continue
                for label, _, _ in ms:
                    if label not in contract[metric]:
                        fail(dash_file, f"{twhere}: {metric} has no label {label}")
                need = [("job", "=", '"$job"'), ("instance", "=~", '"$instance"')]
                if "account" in contract[metric]:
                    need.append(("account", "=~", '"$account"'))
                for label, op, value in need:
                    if (label, op, value) not in ms:
                        fail(dash_file, f"{twhere}: {metric} is not filtered by {label}{op}{value}")
            for a, b in SUBST:
                expr = expr.replace(a, b)
            queries.append((f"panel_{pid}_{ref}", twhere, f"count({expr}) > 0"))

# Every query parses (promtool check rules) and returns data from the sample
# exposition (promtool test rules): counters grow by their sample value each
# minute, gauges stay at it.
if queries:
    with tempfile.TemporaryDirectory() as tmp:
        what = {name: w for name, w, _ in queries}
        rules = {"groups": [{"name": "dashboard", "rules": [{"alert": n, "expr": e} for n, _, e in queries]}]}
        with open(os.path.join(tmp, "dashboard_rules.yaml"), "w") as f:
            json.dump(rules, f, indent=1)
        series = [{"series": 'up{job="hubspot-imports-gateway",instance="10.0.0.1:9464"}', "values": "1x20"}]
        for name, labels, value, kind in samples:
            labels = dict(labels, job="hubspot-imports-gateway", instance="10.0.0.1:9464")
            text = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
            grows = kind in ("counter", "histogram")
            series.append({"series": f"{name}{{{text}}}", "values": f"0+{value}x20" if grows else f"{value}x20"})
        test = {"rule_files": ["dashboard_rules.yaml"], "evaluation_interval": "1m",
                "tests": [{"interval": "1m", "input_series": series,
                           "alert_rule_test": [{"alertname": n, "eval_time": "10m", "exp_alerts": [{}]}
                                               for n, _, _ in queries]}]}
        with open(os.path.join(tmp, "dashboard_test.yaml"), "w") as f:
            json.dump(test, f, indent=1)

        def name_them(text):
            return re.sub(r"\b(panel_\d+_\w+|variable_\w+)\b", lambda m: what.get(m.group(1), m.group(1)), text)

        r = subprocess.run([promtool, "check", "rules", "dashboard_rules.yaml"], cwd=tmp,
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(dash_file, "a query does not parse (promtool check rules):\n    "
                 + name_them(r.stdout + r.stderr).strip().replace("\n", "\n    "))
        else:
            r = subprocess.run([promtool, "test", "rules", "dashboard_test.yaml"], cwd=tmp,
                               capture_output=True, text=True)
            if r.returncode != 0:
                empty = [m.group(1) for m in re.finditer(r"alertname: (\S+?), time: [^\n]*\n(?:(?!alertname:).)*?got:\[\]",
                                                           r.stdout + r.stderr, re.S)]
                for name in empty:
                    fail(dash_file, f"{what.get(name, name)}: returns no data from metrics-sample.prom "
                                    f"(a label value no series has?)")
                if not empty:
                    fail(dash_file, "promtool test rules on the dashboard's queries:\n    "
                         + name_them(r.stdout + r.stderr).strip().replace("\n", "\n    "))

# ---------------------------------------------------------------- README
# The project README's Operations section explains them (absent in the
# self-test's copies of k8s/ alone).
readme = os.path.join(d, "..", "..", "README.md")
if os.path.exists(readme):
    text = open(readme).read()
    for name in alerts:
        if name not in text:
            fail("README.md", f"alert {name} is not explained")
    for title in titles:
        if title and title not in text:
            fail("README.md", f"panel {title!r} is not explained")

for line in fails:
    print(line)
if not fails:
    print(f"ok   conventions: {len(alerts)} alerts, {len(records)} recording rules; dashboard: "
          f"{len(titles)} panels, {len(queries)} queries parse, read the contract's metrics and return data")
sys.exit(1 if fails else 0)
PY
  return $rc
}

# Each case: a file under k8s/, a perl substitution that breaks it, and a
# pattern the output must then contain.
cases=(
  'monitoring/alerts.yaml|s/\(rate\(hubspot_gateway_rate_limit_shed_total\[5m\]\)\)/(rate(hubspot_gateway_rate_limit_shed_total[5m])/|FAIL alerts.yaml: promtool check rules'
  'monitoring/alerts.yaml|s/for: 10m/for: 10 minutes/|FAIL alerts.yaml: promtool check rules'
  'monitoring/alerts_test.yaml|s/(alertname: HubSpotGatewayDown\n        eval_time: )3m/${1}4m/|FAIL alerts_test.yaml: promtool test rules'
  'monitoring/alerts_test.yaml|s/severity: critical/severity: warning/|FAIL alerts_test.yaml: promtool test rules'
  'monitoring/alerts.yaml|s/ratio_rate5m > 0.05/ratio_rate5m >= 0.05/|FAIL alerts_test.yaml: promtool test rules'
  'monitoring/alerts.yaml|s/hubspot_gateway_circuit_breaker_state\{/hubspot_gateway_breaker_state{/|alert HubSpotGatewayCircuitBreakerOpen: unknown metric hubspot_gateway_breaker_state'
  'monitoring/alerts.yaml|s/\n        for: 2m\n/\n/|HubSpotGatewayDown: no for:'
  'monitoring/alerts.yaml|s/severity: critical/severity: page/|HubSpotGatewayDown: labels.severity is .page.'
  'monitoring/alerts.yaml|s/summary: "Gateway replica/sumary: "Gateway replica/|HubSpotGatewayDown: no annotations.summary'
  'monitoring/alerts_test.yaml|s/alertname: HubSpotGatewayRateLimitShedding\n        eval_time: 12m/alertname: HubSpotGatewayRateLimitShed\n        eval_time: 12m/|no test where HubSpotGatewayRateLimitShedding must stay quiet'
  'base/deployment.yaml|s/sizeLimit: 576Mi/sizeLimit: 640Mi/|uses \[.576.\] MiB, but the spool emptyDir.s sizeLimit .* is 640Mi'
  'monitoring/metrics-sample.prom|s/hubspot_gateway_audit_write_errors_total/hubspot_gateway_audit_write_errors/g|FAIL metrics-sample.prom: promtool check metrics'
  'monitoring/grafana-dashboard.json|s/"schemaVersion": 38,/"schemaVersion": 38/|FAIL grafana-dashboard.json: not valid JSON'
  'monitoring/grafana-dashboard.json|s/hubspot_gateway_rate_limit_waiting\{/hubspot_gateway_rate_limit_queued{/|Calls waiting for a turn. query A: unknown metric hubspot_gateway_rate_limit_queued'
  'monitoring/grafana-dashboard.json|s/("title": "Build info",\n\s+"id": \d+,\n\s+"datasource": \{\n\s+"type": "prometheus",\n\s+"uid": )"\$\{datasource\}"/$1"prometheus"/|.Build info.: datasource is .* not the variable'
  'monitoring/grafana-dashboard.json|s/"description": "Open file descriptors/"descriptio": "Open file descriptors/|Open file descriptors.: no description'
  'monitoring/grafana-dashboard.json|s/\(time\(\) - process_start_time_seconds/(time( - process_start_time_seconds/|a query does not parse'
  'monitoring/grafana-dashboard.json|s/grpc_type=\\"client_stream\\"/grpc_type=\\"client_streaming\\"/|StartImport duration .* returns no data'
  'monitoring/grafana-dashboard.json|s/(hubspot_gateway_uploads_in_flight\{job=\\"\$job\\"), instance=~\\"\$instance\\"/$1/|hubspot_gateway_uploads_in_flight is not filtered by instance'
  'monitoring/grafana-dashboard.json|s/(retries_total\{job=\\"\$job\\", instance=~\\"\$instance\\", )account=/${1}acount=/|hubspot_gateway_hubspot_retries_total has no label acount'
)

# shellcheck source=k8s/tools/self_test.sh
. "$here/../tools/self_test.sh"
check_copy() { check_dir "$1/monitoring"; }
self_test() { run_self_test "$here/.." check_copy "${cases[@]}"; }

case "${1:-}" in
  "" | --self-test) ;;
  *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
if ! command -v "$PROMTOOL" >/dev/null; then
  echo "promtool not found (Debian: apt-get install --no-install-recommends prometheus; or set PROMTOOL)" >&2
  exit 127
fi
if ! "$PYTHON" -c 'import yaml' 2>/dev/null; then
  echo "$PYTHON cannot import yaml (Debian: apt-get install python3-yaml; or set PYTHON)" >&2
  exit 127
fi
echo "promtool: $("$PROMTOOL" --version 2>&1 | head -1)"
if [ "${1:-}" = --self-test ]; then
  self_test
else
  check_dir "$here" && echo "k8s/monitoring: all checks passed"
fi
