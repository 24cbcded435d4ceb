#!/usr/bin/env bash
# Installs every Debian 12 package Tengen needs to build, test and play.
# Safe to run any number of times; apt-get skips what is already there.
set -euo pipefail

# The list is shared with the Dockerfile (deploy/k8s): scripts/packages.txt.
mapfile -t packages < <(grep -v '^[[:space:]]*#' "$(dirname "$0")/packages.txt" | grep -v '^[[:space:]]*$')
# The JavaScript GTP client tests need Node.js; keep an existing installation.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
