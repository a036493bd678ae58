#!/usr/bin/env bash
# Test certificates for the HTTPS tests: certs.sh DIR writes into DIR
#   ca.pem ca.key              a private test CA
#   server.pem server.key      127.0.0.1 + localhost, signed by the CA
#   wronghost.pem wronghost.key  signed by the CA, but for another host name
#   expired.pem expired.key    127.0.0.1, signed by the CA, expired in 2020
#   unknown.pem unknown.key    127.0.0.1, self-signed (an unknown CA)
set -euo pipefail
dir="$1"
mkdir -p "$dir"
cd "$dir"
rm -rf ca-db  # each run issues everything afresh

subj() { echo "/CN=$1"; }
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "$(subj 'telemetry test CA')" \
  -keyout ca.key -out ca.pem 2>/dev/null

issue() {  # name, subjectAltName, then openssl ca date options
  local name="$1" san="$2"
  shift 2
  openssl req -newkey rsa:2048 -nodes -subj "$(subj "$name")" -keyout "$name.key" \
    -out "$name.csr" 2>/dev/null
  mkdir -p ca-db
  : >ca-db/index.txt
  [[ -f ca-db/serial ]] || echo 1000 >ca-db/serial
  cat >ca.cnf <<CNF
[ca]
default_ca = test
[test]
database = ca-db/index.txt
serial = ca-db/serial
new_certs_dir = ca-db
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = leaf
[any]
commonName = supplied
[leaf]
subjectAltName = $san
basicConstraints = CA:false
CNF
  openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" \
    -out "$name.pem" -notext "$@" 2>/dev/null
}
issue server "IP:127.0.0.1,DNS:localhost" -days 3650
issue wronghost "DNS:other.example" -days 3650
issue expired "IP:127.0.0.1,DNS:localhost" -startdate 20200101000000Z -enddate 20200102000000Z
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "$(subj unknown)" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -keyout unknown.key -out unknown.pem \
  2>/dev/null
echo "certs: test CA and server certificates in $dir"
