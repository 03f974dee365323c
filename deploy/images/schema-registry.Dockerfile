# The schema registry (Confluent's REST API) of the devstack jar against a remote Kafka, on slipway/jre.
ARG BASE=slipway/jre:latest
FROM ${BASE}
ARG JAR
ARG VERSION
LABEL org.opencontainers.image.title="slipway/schema-registry" org.opencontainers.image.version="${VERSION}"
COPY ${JAR} /opt/slipway/devstack.jar
ENV SLIPWAY_REGISTRY_LISTEN=0.0.0.0 SLIPWAY_REGISTRY_PORT=8081
EXPOSE 8081
USER 10001:10001
ENTRYPOINT ["tini", "--", "java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/slipway/devstack.jar", "io.slipway.devstack.SchemaRegistryMain"]
