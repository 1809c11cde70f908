# syntax=docker/dockerfile:1
#
# Production image for caseflow: one static binary (CGO_ENABLED=0) on a
# distroless, non-root base. Needs BuildKit (cache mounts); `docker compose`
# and `docker buildx build` use it by default.
#
#   docker build -t caseflow .
#   docker run --rm caseflow --help
#
# The same image runs every role, chosen by the command:
#   server (default) | worker | migrate | dev

# Exactly go.mod's `go` line (.ci/compose-check compares them): the image
# sets GOTOOLCHAIN=local, so the build uses this Go and never fetches one.
ARG GO_VERSION=1.26.8

# ---------------------------------------------------------------------------
# Build stage. Runs on the build host's platform and cross-compiles for the
# target one (pure Go, so no emulation is needed for multi-arch builds).
# ---------------------------------------------------------------------------
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-trixie AS build

WORKDIR /src

ENV CGO_ENABLED=0

# Dependencies first, in their own step: editing the sources does not
# re-download modules. The official golang image has GOPATH=/go, so the module
# cache is /go/pkg/mod; the build cache is $HOME/.cache/go-build (root here).
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    go mod download

COPY . .

ARG TARGETOS
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/caseflow ./cmd/caseflow

# ---------------------------------------------------------------------------
# Runtime stage: no shell, no package manager; CA certificates, tzdata and
# /etc/passwd only. Runs as nonroot (uid/gid 65532).
#
# No fonts either, and apt cannot add any here: the service-record PDFs
# (servicerecord/) need a TrueType (.ttf, not .ttc/.otf) font with Chinese
# glyphs, plus one with Latin letters and digits if it has none. Mount them
# and point CASEFLOW_PDF_FONT at them, ':'-separated, e.g. from Debian's
# fonts-droid-fallback and fonts-dejavu-core:
#   -v /usr/share/fonts/truetype:/fonts:ro \
#   -e CASEFLOW_PDF_FONT=/fonts/droid/DroidSansFallbackFull.ttf:/fonts/dejavu/DejaVuSans.ttf
# Without it the server looks in the Debian font paths, which this image lacks.
# ---------------------------------------------------------------------------
# Debian 13 (trixie): supported, with current time-zone data, which the
# service-level calendars read. Pinned by digest so that a rebuild takes the
# same base; refresh it on purpose (new tzdata, CA certificates) with
#   docker buildx imagetools inspect gcr.io/distroless/static-debian13:nonroot
# and put the index digest it prints here.
FROM gcr.io/distroless/static-debian13:nonroot@sha256:f7f8f729987ad0fdf6b05eeeae94b26e6a0f613bdf46feea7fc40f7bd72953e6

COPY --from=build /out/caseflow /caseflow

# Listen on all interfaces inside the container (the binary's own default is
# loopback, which is unreachable through a published port).
ENV CASEFLOW_HTTP_ADDR=0.0.0.0:8080 \
    CASEFLOW_METRICS_ADDR=0.0.0.0:9090 \
    CASEFLOW_LOG_FORMAT=json \
    CASEFLOW_LOG_LEVEL=info

USER nonroot:nonroot

# 8080: HTTP API (server). 9090: /healthz and /metrics (worker).
EXPOSE 8080 9090

# The image has no shell or HTTP client: the binary probes itself. Its
# /healthz is on CASEFLOW_METRICS_ADDR (the worker serves no API).
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/caseflow", "healthcheck"]
ENTRYPOINT ["/caseflow"]
CMD ["server"]
