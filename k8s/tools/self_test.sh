# Sourced by k8s/validate.sh and k8s/monitoring/check.sh: a check must pass an
# unmodified copy of k8s/ and reject each copy a case breaks on purpose.
#
#   run_self_test K8S_DIR CHECK CASE...
#
# CHECK is a command given the copied k8s/ directory. Each CASE is
# "FILE|PERL_SUBSTITUTION|WANT": FILE (relative to k8s/) is edited with
# `perl -0pi -e PERL_SUBSTITUTION`, and CHECK must fail with a line matching
# the extended regex WANT. A substitution that changes nothing fails too, so
# that cases follow the files they break.
run_self_test() {
  # Bash's locals are seen by the functions called from here: names that
  # the checks do not use.
  local st_src=$1 st_check=$2 st_work st_rc=0 st_i=0 st_case st_file st_subst st_want st_log
  shift 2
  st_work=$(mktemp -d)
  trap 'rm -rf "$st_work"; trap - RETURN' RETURN
  echo "== self-test: unmodified copy must pass"
  cp -r "$st_src" "$st_work/k8s"
  if ! "$st_check" "$st_work/k8s" >"$st_work/log" 2>&1; then
    cat "$st_work/log"; echo "self-test: FAIL: the unmodified files do not pass"; return 1
  fi
  for st_case in "$@"; do
    st_i=$((st_i + 1))
    IFS='|' read -r st_file st_subst st_want <<<"$st_case"
    rm -rf "$st_work/k8s" && cp -r "$st_src" "$st_work/k8s"
    perl -0pi -e "$st_subst" "$st_work/k8s/$st_file"
    st_log="$st_work/case$st_i.log"
    if cmp -s "$st_src/$st_file" "$st_work/k8s/$st_file"; then
      echo "not ok $st_i - $st_file: the substitution $st_subst changed nothing (update the case)"; st_rc=1
    elif "$st_check" "$st_work/k8s" >"$st_log" 2>&1; then
      echo "not ok $st_i - $st_file $st_subst: the check passed it"; st_rc=1
    elif ! grep -Eq -- "$st_want" "$st_log"; then
      echo "not ok $st_i - $st_file $st_subst: failed, but without /$st_want/:"; sed 's/^/    /' "$st_log"; st_rc=1
    else
      echo "ok $st_i - $st_file $st_subst"
      grep -E -- "$st_want" "$st_log" | head -2 | cut -c1-200 | sed 's/^/    /'
    fi
  done
  [ $st_rc -eq 0 ] && echo "self-test: all $st_i broken copies were rejected"
  return $st_rc
}
