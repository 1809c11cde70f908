#!/bin/sh
# Makes the certificates of the mutual TLS that docker-compose.yml turns on
# for Temporal, signed by a new local CA, for a trial or a first install:
#
#   sh deploy/temporal/make-certs.sh [DIR]     (default deploy/temporal/certs)
#
# Production: put your own PKI's files under the same names instead.
#   ca.pem                    CA that signs every certificate below; Temporal
#                             trusts client certificates it signed, and the
#                             clients trust Temporal's by it
#   temporal.pem, .key        Temporal's frontend and internode certificate,
#                             name "temporal" (server and client use: the
#                             system worker presents it to the frontend)
#   caseflow.pem, .key        client certificate of caseflow migrate, server
#                             and worker
#   ui.pem, .key              client certificate of the Temporal Web UI
#
# Whoever holds a client certificate signed by ca.pem can do anything on the
# cluster: give one only to these services. ca.key is needed only to issue
# certificates; keep it off the server. Existing files are never replaced.
set -eu

dir="${1:-$(dirname "$0")/certs}"
days=825
mkdir -p "$dir"
cd "$dir"

if [ ! -e ca.pem ]; then
	openssl req -x509 -newkey rsa:3072 -nodes -days "$days" -subj "/CN=caseflow Temporal CA" \
		-keyout ca.key -out ca.pem 2>/dev/null
fi

issue() { # name usage [DNS name]
	[ -e "$1.pem" ] && return 0
	ext="$(mktemp)"
	printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n' "$2" >"$ext"
	[ -n "${3:-}" ] && printf 'subjectAltName=DNS:%s\n' "$3" >>"$ext"
	openssl req -newkey rsa:3072 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr" 2>/dev/null
	openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days "$days" \
		-extfile "$ext" -out "$1.pem" 2>/dev/null
	rm -f "$1.csr" "$ext"
}

issue temporal serverAuth,clientAuth temporal
issue caseflow clientAuth
issue ui clientAuth

# The containers run as other users than the one who ran this: the keys must
# be readable by them. Keep the directory on a host only operators use.
chmod 0755 .
chmod 0644 ./*.pem temporal.key caseflow.key ui.key
chmod 0600 ca.key
echo "certificates in $(pwd)"
