# One Slipway service: its shaded jar on slipway/jre, run as user slipway. Built by ./slipway images with
# --build-arg SERVICE=<module> JAR=<module>-<version>-all.jar; inside a container every service listens on 8080.
ARG BASE=slipway/jre:latest
FROM ${BASE}
ARG SERVICE
ARG JAR
ARG VERSION
LABEL org.opencontainers.image.title="slipway/${SERVICE}" org.opencontainers.image.version="${VERSION}"
COPY ${JAR} /opt/slipway/app.jar
# The services' state directories (the builder's workspaces, the tester's reports, the dashboard's embedded database),
# owned by the service's user, so a volume docker-compose mounts there starts out writable by it.
USER 0
RUN mkdir -p /var/lib/slipway/builder /var/lib/slipway/reports /var/lib/slipway/dashboard \
    && chown -R 10001:10001 /var/lib/slipway && chmod -R 0700 /var/lib/slipway
ENV SLIPWAY_BIND=0.0.0.0
EXPOSE 8080
USER 10001:10001
ENTRYPOINT ["tini", "--", "java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/slipway/app.jar"]
