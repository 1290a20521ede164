#!/usr/bin/env bash
# The script part of the ptuplan GitHub Action (action.yml), usable in any CI:
#
#   action/check.sh PLAN.toml [BASE_PLAN.toml]
#
# Checks PLAN against its [budget] and against BASE_PLAN (the same plan on the base branch, read
# where it is so its profiles resolve; missing on the first pull request that adds the plan),
# and writes into $OUT_DIR (default: .):
#   ptuplan-comment.md  the pull-request comment (Markdown), always;
#   ptuplan-report.json the check's JSON report, only when the plan could be checked (never an
#                       empty or partial file).
# Exits with ptuplan's code: 0 within budget, 3 over budget, 2 a malformed plan, 1 otherwise.
# With GITHUB_OUTPUT set, also writes exit-code, report and comment there.
# PTUPLAN is the command to run (default: ptuplan); PTUPLAN_CHECK_ARGS more arguments for
# `ptuplan check` (e.g. --allow-outside-paths); PTUPLAN_BASE_ERROR, when set, says why there is
# no base plan (the comment then says the baseline is unavailable, not that the plan is new).
set -uo pipefail

plan=${1:?usage: $0 PLAN.toml [BASE_PLAN.toml]}
base_plan=${2:-}
out=${OUT_DIR:-.}
read -r -a ptuplan <<< "${PTUPLAN:-ptuplan}"
read -r -a extra <<< "${PTUPLAN_CHECK_ARGS:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The base branch's plan as a baseline report; a base plan that no longer parses is reported,
# not fatal (the pull request may be the fix).
baseline="$work/baseline.json"
unavailable=${PTUPLAN_BASE_ERROR:-}
if [ -n "$base_plan" ] && [ -f "$base_plan" ]; then
  if ! "${ptuplan[@]}" plan "$base_plan" "${extra[@]}" --json > "$baseline" 2> "$work/base-stderr"; then
    echo "ptuplan: the base branch's plan could not be read; comparing with nothing:" >&2
    cat "$work/base-stderr" >&2
    unavailable="the base branch's plan could not be read: $(head -c 300 "$work/base-stderr" | tr '\n' ' ')"
    rm -f "$baseline"
  fi
fi

status=0
"${ptuplan[@]}" check "$plan" "${extra[@]}" --baseline "$baseline" --baseline-optional \
  --format markdown > "$work/comment.md" 2> "$work/stderr" || status=$?
cat "$work/stderr" >&2

case "$status" in
  0 | 3)
    "${ptuplan[@]}" check "$plan" "${extra[@]}" --baseline "$baseline" --baseline-optional \
      --json > "$work/report.json" 2> /dev/null
    if [ -n "$unavailable" ]; then
      # Not a new plan: say why there is no comparison, after the heading.
      {
        head -n 2 "$work/comment.md"
        printf '> ⚠️ Baseline unavailable, so the change and max_increase_pct are not checked: %s\n\n' \
          "$(printf '%s' "$unavailable" | sed 's/[<>|*_`]/ /g')"
        tail -n +3 "$work/comment.md" | grep -v '^New plan: no baseline'
      } > "$work/comment-with-warning.md"
      mv "$work/comment-with-warning.md" "$work/comment.md"
    fi
    ;;
  *)
    # The plan could not be checked: the comment says why; there is no report.
    {
      printf '### ptuplan check: %s — ⚠️ not checked (exit %s)\n\n' "$plan" "$status"
      printf '~~~~text\n'
      sed 's/~~~~/~ ~ ~ ~/g' "$work/stderr"
      printf '~~~~\n'
    } > "$work/comment.md"
    rm -f "$work/report.json"
    ;;
esac

mkdir -p "$out"
mv "$work/comment.md" "$out/ptuplan-comment.md"
report=""
if [ -s "$work/report.json" ]; then
  mv "$work/report.json" "$out/ptuplan-report.json"
  report="$out/ptuplan-report.json"
else
  rm -f "$out/ptuplan-report.json"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    echo "report=$report"
    echo "comment=$out/ptuplan-comment.md"
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
