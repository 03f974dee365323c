# An OCI registry: Debian's docker-registry on its own Debian root filesystem, with an entrypoint that turns
# REGISTRY_USERNAME/REGISTRY_PASSWORD into a bcrypt htpasswd file and REGISTRY_READONLY=true into read-only mode.
ARG BASE
FROM ${BASE}
ARG VERSION
LABEL org.opencontainers.image.title="slipway/registry" org.opencontainers.image.version="${VERSION}"
COPY registry-entrypoint.sh /usr/local/bin/registry-entrypoint
USER 0
RUN mkdir -p /var/lib/registry /run/registry && chown 10001:10001 /var/lib/registry /run/registry \
    && chmod 0700 /var/lib/registry /run/registry
VOLUME /var/lib/registry
EXPOSE 5000
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/registry-entrypoint"]
