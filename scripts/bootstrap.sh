#!/usr/bin/env bash
# Install what building and testing need, idempotently: Debian packages, then a virtualenv in .venv.
# Usage: scripts/bootstrap.sh [build|test]
set -euo pipefail
cd "$(dirname "$0")/.."

want="${1:-build}"
# Fonts and libraries for PDF (WeasyPrint + Noto CJK), poppler for inspecting PDFs.
packages=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)
if [ "$want" = test ]; then
  packages+=(chromium git)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "正在安装系统软件包：${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras="."
[ "$want" = test ] && extras=".[test]"
stamp=".venv/.installed-$want-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "正在安装 Python 依赖（$want）……" >&2
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  status=0
  out=$(.venv/bin/python -m pip install -q -e "$extras" 2>&1) || status=$?
  printf '%s\n' "$out" | grep -v "^WARNING: Location" | grep -v '^$' >&2 || true
  if [ "$status" -ne 0 ]; then
    echo "安装 Python 依赖失败（pip 退出码 $status），见上方信息" >&2
    exit 3
  fi
  .venv/bin/python -c "import generator, mkdocs, material, pypandoc, weasyprint" 
  touch "$stamp"
fi
