#!/usr/bin/env bash
# The paths and tree shapes `mlci changes` must list exactly as git does: root commits,
# merges, symlinks, mode changes, deleted directories, file <-> directory swaps, submodule
# gitlinks and path bytes that git quotes.
# shellcheck source=Fixtures/lib.sh
source "$(dirname "$0")/../lib.sh"
fixture_init "$1"

write README.md "# core paths"
write src/app.py "print('app')"
write src/util/helpers.py "def help(): pass"
write src/util/deep/x.py "x = 1"
write data/raw.csv "a,b"
write scripts/run.sh "echo run"
write "sp ace.txt" "space"
write docs/a.md "a"
write a "a"
write a.b "a.b"
write a-b "a-b"
write a0 "a0"
git add -A
commit "root"

chmod +x scripts/run.sh
write src/app.py "print('app v2')"
git add -A
commit "exec bit and edit"

ln -s README.md link
rm docs/a.md
ln -s ../README.md docs/a.md
git add -A
commit "symlink added; file becomes a symlink"

git rm -rq src/util
commit "delete a directory"

git rm -q data/raw.csv
write data/raw.csv/part-0 "a,b"
git rm -rq docs
write docs "docs is a file now"
rm a
write a/b "a is a directory now"
git add -A
commit "file becomes directory, directory becomes file"

write "$(printf 'tab\there')" "tab"
write 'quote"d' "quote"
write "$(printf 'new\nline')" "newline"
write 'back\slash' "backslash"
write "$(printf 'bytes-\xff\xfe')" "not utf-8"
write "$(printf 'caf\xc3\xa9')" "utf-8"
write "./-leading-dash" "dash"
write "$(printf 'ctrl-\x01\x7f')" "control bytes"
git add -A
commit "paths git quotes"

sub1=$(git rev-parse HEAD~1)
sub2=$(git rev-parse HEAD~2)
git update-index --add --cacheinfo 160000,"$sub1",vendor/lib
git update-index --add --cacheinfo 160000,"$sub1",vendor/other
commit "submodule gitlinks"
git update-index --cacheinfo 160000,"$sub2",vendor/lib
git update-index --force-remove vendor/other
write vendor/other "gitlink replaced by a file"
git add vendor/other
commit "gitlink moves; gitlink becomes a file"

rm link
write link "symlink becomes a file"
chmod -x scripts/run.sh
git add -A
commit "symlink becomes a file; exec bit removed"

# A second root, merged in: the merge is compared against each parent.
git checkout -q --orphan side
git rm -rq --cached .
git clean -fdq
write side/only.txt "side"
write README.md "# side readme"
git add -A
commit "second root"
git checkout -q -f main
git merge -q --allow-unrelated-histories -X ours side -m "merge unrelated side" || true

# Criss-cross: two branches that each merge the other.
git checkout -q -b left
write left.txt "l1"; git add -A; commit "left 1"
git checkout -q main
write right.txt "r1"; git add -A; commit "right 1"
git checkout -q -b right
git merge -q --no-ff left -m "right merges left"
git checkout -q left
git merge -q --no-ff main -m "left merges main"
write left.txt "l2"; git add -A; commit "left 2"
git checkout -q right
write right.txt "r2"; git add -A; commit "right 2"
git checkout -q main
git merge -q --no-ff left right -m "octopus merge" 2>/dev/null || {
  git merge --abort 2>/dev/null || true
  git merge -q --no-ff left -m "main merges left"
}
git tag v1
git tag -a v1-annotated -m "annotated" HEAD~1
