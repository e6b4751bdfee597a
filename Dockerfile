# syntax=docker/dockerfile:1
# Build: a static binary (no cgo) with the essay, gazetteer, templates and
# static files embedded.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/corpus ./cmd/corpus \
    && mkdir -p /out/data

# Run: a minimal base with no shell, as a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/corpus /usr/local/bin/corpus
COPY --from=build --chown=65532:65532 /out/data /data
ENV CORPUS_ADDR=0.0.0.0:8080 \
    CORPUS_DATA=/data
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s \
    CMD ["/usr/local/bin/corpus", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/corpus"]
CMD ["serve"]
