# The Tengen image for Kubernetes runs (deploy/k8s/README.md): Debian 12 with the packages of
# scripts/packages.txt, the one list scripts/install-deps.sh installs too, and the tengen
# binary with its bundled networks.
#   docker build -t tengen:latest .
FROM debian:12
ENV DEBIAN_FRONTEND=noninteractive
COPY scripts/packages.txt /tmp/packages.txt
RUN apt-get update \
 && grep -v '^[[:space:]]*#' /tmp/packages.txt | grep -v '^[[:space:]]*$' \
    | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
COPY . /opt/tengen
RUN cmake -S /opt/tengen -B /opt/tengen/build -DCMAKE_BUILD_TYPE=Release -DTENGEN_NODE_TESTS=OFF \
 && cmake --build /opt/tengen/build -j"$(nproc)" --target tengen \
 && ln -s /opt/tengen/build/tengen /usr/local/bin/tengen
ENTRYPOINT ["tengen"]
