#!/usr/bin/env bash
# Builds the second benchmark data set from real releases on the npm registry (the files are
# not in git): bench/.cache/NAME/versions/NN/<files> plus versions.tsv (index, version, date,
# message), and bench/.cache/NAME/repo, a git repository with one commit per release at its
# publication date, as ../shared/data/make-repo.sh builds for jQuery.
# Usage: bench/data/make-npm-set.sh [NAME]   (default bootstrap; the releases and files are below)
set -euo pipefail
name="${1:-bootstrap}"
case "$name" in
  bootstrap)
    versions="5.0.2 5.1.0 5.1.3 5.2.0 5.2.3 5.3.0 5.3.2 5.3.3 5.3.5 5.3.7 5.3.9"
    files="dist/js/bootstrap.js dist/js/bootstrap.min.js dist/css/bootstrap.css dist/css/bootstrap.min.css" ;;
  *) echo "unknown data set $name (known: bootstrap)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
dest="$here/.cache/$name"
[ -f "$dest/versions.tsv" ] && { echo "$dest exists"; exit 0; }
rm -rf "$dest"; mkdir -p "$dest/packs"
times=$(npm view "$name" time --json)
n=0
for version in $versions; do
  n=$((n + 1)); dir=$(printf '%s/versions/%02d' "$dest" "$n")
  tarball=$(cd "$dest/packs" && npm pack --silent "$name@$version")
  mkdir -p "$dir"
  for file in $files; do tar -xzf "$dest/packs/$tarball" -C "$dir" --strip-components=1 "package/$file"; done
  date=$(node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$times" "$version")
  printf '%02d\t%s\t%s\t%s %s\n' "$n" "$version" "$date" "$name" "$version" >> "$dest/versions.tsv"
done
repo="$dest/repo"; mkdir -p "$repo"; cd "$repo"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git init -q -b main
git config user.name "data set"; git config user.email "data@example.com"; git config commit.gpgsign false
while IFS=$'\t' read -r n version date subject; do
  find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -R "$dest/versions/$n/." .
  git add -A
  GIT_AUTHOR_DATE="$date" GIT_COMMITTER_DATE="$date" git commit -q -m "$subject"
done < "$dest/versions.tsv"
echo "$dest: $(wc -l < "$dest/versions.tsv") releases; repository $repo at $(git rev-parse HEAD)"
