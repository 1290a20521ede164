#!/usr/bin/env bash
# Posts COMMENT.md on a pull request, or updates the comment an earlier run posted (found by a
# marker line), so each pull request has one ptuplan comment:
#
#   action/comment.sh COMMENT.md [PLAN]
#
# With PLAN, the marker names it, so several plans in one pull request keep a comment each.
# Needs GITHUB_REPOSITORY (owner/name), PR_NUMBER and a token for the GitHub CLI (GH_TOKEN).
# GH is the GitHub CLI to run (default: gh).
set -euo pipefail

comment=${1:?usage: $0 COMMENT.md [PLAN]}
plan=$(printf '%s' "${2:-}" | tr -c 'A-Za-z0-9._/-' '-')
: "${GITHUB_REPOSITORY:?set GITHUB_REPOSITORY=owner/name}"
: "${PR_NUMBER:?set PR_NUMBER to the pull request number}"
read -r -a gh <<< "${GH:-gh}"
marker="<!-- ptuplan-cost-check${plan:+ $plan} -->"
body="$marker"$'\n'"$(cat "$comment")"

existing=$("${gh[@]}" api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
  --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
if [ -n "$existing" ]; then
  "${gh[@]}" api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" \
    -f body="$body" > /dev/null
  echo "ptuplan: updated comment $existing"
else
  "${gh[@]}" api -X POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    -f body="$body" > /dev/null
  echo "ptuplan: posted a comment"
fi
