#!/usr/bin/env bash
# Makes the secrets compose.yaml mounts, in the current directory (docker/secrets): an RS256 key pair for the
# nodes' JWTs (all nodes sign and verify with the same pair) and a scrape token for Prometheus.
set -euo pipefail
umask 077
[ -f jwt-private.pem ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out jwt-private.pem
[ -f jwt-public.pem ] || openssl pkey -in jwt-private.pem -pubout -out jwt-public.pem
[ -f scrape-token ] || openssl rand -hex 24 > scrape-token
echo "set TENANTRY_METRICS_SCRAPE_TOKEN=$(cat scrape-token) in the environment of docker compose"
