#!/usr/bin/env bash
# Makes a throw-away CA and a server certificate for 127.0.0.1 under $1 (default .test-data/ca).
# The sender trusts it through NODE_EXTRA_CA_CERTS, which the test command exports before starting Node.
set -euo pipefail
dir="${1:-.test-data/ca}"
mkdir -p "$dir"
cd "$dir"
if [ -s ca.pem ] && [ -s server.pem ] && [ -s expired.pem ]; then exit 0; fi
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca-key.pem -out ca.pem -days 30 \
  -subj "/CN=Hookrelay test CA" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
cat > server.ext <<'EXT'
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
openssl req -newkey rsa:2048 -nodes -keyout server-key.pem -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -out server.pem -days 30 -extfile server.ext 2>/dev/null
# An expired certificate from the same CA, for the delivery engine's TLS failure tests.
mkdir -p expired-ca/newcerts
: > expired-ca/index.txt
echo 1000 > expired-ca/serial
cat > expired-ca/openssl.cnf <<CNF
[ ca ]
default_ca = test
[ test ]
dir = expired-ca
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = sha256
policy = anything
copy_extensions = copy
unique_subject = no
[ anything ]
commonName = supplied
CNF
openssl req -newkey rsa:2048 -nodes -keyout expired-key.pem -out expired.csr -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
openssl ca -batch -config expired-ca/openssl.cnf -cert ca.pem -keyfile ca-key.pem -in expired.csr -out expired.pem \
  -startdate 20200101000000Z -enddate 20200201000000Z -notext 2>/dev/null
chmod 600 ./*-key.pem
