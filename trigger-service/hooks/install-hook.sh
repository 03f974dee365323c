#!/usr/bin/env bash
# Installs Slipway's post-receive hook into a bare repository and configures it.
#
#   install-hook.sh <bare-repo-dir> --url http://host:8080 --secret-file <file> \
#                   [--repository owner/name] [--clone-url URL]
#
# See docs/post-receive-hook.md.
set -euo pipefail

usage() {
    sed -n '4,5p' "$0" | sed 's/^# \{0,3\}//' >&2
    exit 2
}

die() {
    printf 'install-hook.sh: %s\n' "$*" >&2
    exit 1
}

here=$(cd "$(dirname "$0")" && pwd)
repo=""
url=""
secret_file=""
repository=""
clone_url=""
while [ $# -gt 0 ]; do
    case "$1" in
        --url) [ $# -ge 2 ] || usage; url=$2; shift 2 ;;
        --secret-file) [ $# -ge 2 ] || usage; secret_file=$2; shift 2 ;;
        --repository) [ $# -ge 2 ] || usage; repository=$2; shift 2 ;;
        --clone-url) [ $# -ge 2 ] || usage; clone_url=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) printf 'install-hook.sh: unknown option %s\n' "$1" >&2; usage ;;
        *) [ -z "$repo" ] || usage; repo=$1; shift ;;
    esac
done
[ -n "$repo" ] && [ -n "$url" ] && [ -n "$secret_file" ] || usage

[ -d "$repo" ] || die "$repo is not a directory"
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir 2>/dev/null) || die "$repo is not a git repository"
[ "$(git --git-dir="$git_dir" rev-parse --is-bare-repository)" = true ] || die "$repo is not a bare repository"
case "$url" in
    http://*|https://*) ;;
    *) die "--url must be an http:// or https:// URL, got: $url" ;;
esac
[ -f "$secret_file" ] && [ -r "$secret_file" ] || die "cannot read the secret file $secret_file"
[ -n "$(tr -d '\r\n' <"$secret_file")" ] || die "the secret file $secret_file is empty"
secret_file=$(cd "$(dirname "$secret_file")" && pwd -P)/$(basename "$secret_file")
if [ -n "$(find "$secret_file" -perm /o=r 2>/dev/null)" ]; then
    printf 'install-hook.sh: warning: %s is readable by everyone; consider chmod 600\n' "$secret_file" >&2
fi

hook_dir=$(git --git-dir="$git_dir" rev-parse --git-path hooks)
case "$hook_dir" in /*) ;; *) hook_dir=$git_dir/${hook_dir#./} ;; esac
mkdir -p "$hook_dir"
target=$hook_dir/post-receive
if [ -e "$target" ] && ! cmp -s "$here/post-receive" "$target" && ! grep -q 'Slipway post-receive hook' "$target"; then
    mv "$target" "$target.before-slipway"
    echo "moved the existing hook to $target.before-slipway (it no longer runs; call it from your own hook if needed)"
fi
cp "$here/post-receive" "$target"
chmod +x "$target"
echo "installed $target"

set_config() {
    git --git-dir="$git_dir" config "$1" "$2"
    echo "set git config $1 = $2"
}
set_config slipway.url "${url%/}"
set_config slipway.secretfile "$secret_file"
if git --git-dir="$git_dir" config slipway.secret >/dev/null; then
    git --git-dir="$git_dir" config --unset slipway.secret
    echo "removed git config slipway.secret (slipway.secretfile is used instead)"
fi
[ -z "$repository" ] || set_config slipway.repository "$repository"
[ -z "$clone_url" ] || set_config slipway.cloneurl "$clone_url"
echo "each push to $git_dir now notifies ${url%/}/webhooks/generic"
