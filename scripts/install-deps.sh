#!/usr/bin/env bash
# Installs every Debian 12 package Tengen needs to build, test and play.
# Safe to run any number of times; apt-get skips what is already there.
set -euo pipefail

packages=(
  cmake g++ make pkg-config git
  libtorch-dev libopenblas0-pthread
  libtbb-dev libboost-dev libboost-filesystem-dev libfmt-dev libspdlog-dev
  catch2 libcli11-dev nlohmann-json3-dev
  libarchive-dev zlib1g-dev libuchardet-dev
  gnugo
)
# The JavaScript GTP client tests need Node.js; keep an existing installation.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${packages[@]}"
