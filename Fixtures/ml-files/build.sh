#!/usr/bin/env bash
# ML file formats: DVC pointers, Git LFS pointers and notebooks, one kind of change per
# commit, each tagged m-<name>.
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=Fixtures/lib.sh
source "$here/../lib.sh"
fixture_init "$1"

step() { git add -A; commit "$2"; git tag "m-$1"; }

pointer() {  # pointer FILE MD5 [extra line]
  printf 'outs:\n- md5: %s\n  size: 1024\n  hash: md5\n  path: data.xml\n%s' "$2" "${3:-}" > "$1"
}
lfs() {  # lfs FILE OID SIZE [extra line]
  printf 'version https://git-lfs.github.com/spec/v1\n%soid sha256:%s\nsize %s\n' "${4:-}" "$2" "$3" > "$1"
}
notebook() {  # notebook FILE SOURCE OUTPUT COUNT
  printf '{"cells": [{"cell_type": "code", "execution_count": %s, "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["%s"]}], "source": ["%s"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n' "$4" "$3" "$2" > "$1"
}

cp "$here/mlci.yml" mlci.yml
mkdir -p data models notebooks src
printf 'models/*.onnx filter=lfs diff=lfs merge=lfs -text\n' > .gitattributes
pointer data/data.xml.dvc 1111aaaa1111aaaa1111aaaa1111aaaa
lfs models/model.onnx 4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393 100
notebook notebooks/explore.ipynb "print(1)" "1" 1
write src/train.py "EPOCHS = 1"
git add -A
commit "root"

pointer data/data.xml.dvc 2222bbbb2222bbbb2222bbbb2222bbbb
step data-hash "new data: the md5 of data/data.xml changed"

pointer data/data.xml.dvc 2222bbbb2222bbbb2222bbbb2222bbbb "  desc: the raw export
frozen: true
"
step dvc-metadata "pointer metadata only: same hash"

printf 'outs:\n- md5: 01234\n  path: data.xml\n' > data/data.xml.dvc
step numeric-hash-1 "a hash that looks like a number"
printf 'outs:\n- md5: 1234\n  path: data.xml\n' > data/data.xml.dvc
step numeric-hash-2 "the same number, a different hash string"

lfs models/model.onnx b8e0cfa6b0c6e1d1f9a4c33b2c0b1bde0ad6f1f0c7b9f7b3f0d51b8b0e3c2f11 120
step lfs-new "a new model object"

lfs models/model.onnx b8e0cfa6b0c6e1d1f9a4c33b2c0b1bde0ad6f1f0c7b9f7b3f0d51b8b0e3c2f11 120 "ext-0-foo sha256:0000
"
step lfs-rewrite "LFS pointer rewritten, same object"

notebook notebooks/explore.ipynb "print(1)" "1 again" 7
step notebook-outputs "notebook re-run: outputs and counts only"

notebook notebooks/explore.ipynb "print(2)" "2" 8
step notebook-source "notebook cell source changed"

printf '\x89PNG\x00\x01binary' > notebooks/explore.ipynb
step notebook-junk "binary junk in a notebook"

lfs models/model.onnx NOTHEX 1
step lfs-bad "a broken LFS pointer"

git tag 'model@v3'
git tag 'churn#prod#7'
