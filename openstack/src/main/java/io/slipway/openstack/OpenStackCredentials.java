package io.slipway.openstack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How Slipway proves its identity to Keystone v3: an application credential (preferred: bound to one project,
 * revocable, no user password on the builder) or a user's password scoped to a project. {@code toString} never
 * shows the secret.
 */
public sealed interface OpenStackCredentials {

    /** The {@code auth} object of {@code POST /v3/auth/tokens}. */
    Map<String, Object> authBody();

    /** A Keystone reference by id when given, else by name. */
    record Ref(String id, String name) {
        Map<String, Object> json() {
            return id != null ? Map.of("id", id) : Map.of("name", name);
        }

        static Ref of(String id, String name, String fallbackName) {
            return new Ref(id, name != null ? name : fallbackName);
        }
    }

    /** {@code OS_APPLICATION_CREDENTIAL_ID} (or name + user) and secret; the scope is the credential's project. */
    record ApplicationCredential(String id, String name, String userName, Ref userDomain, String secret)
            implements OpenStackCredentials {
        @Override
        public Map<String, Object> authBody() {
            Map<String, Object> credential = new LinkedHashMap<>();
            if (id != null) {
                credential.put("id", id);
            } else {
                credential.put("name", name);
                credential.put("user", Map.of("name", userName, "domain", userDomain.json()));
            }
            credential.put("secret", secret);
            return Map.of("identity", Map.of("methods", List.of("application_credential"),
                    "application_credential", credential));
        }

        @Override
        public String toString() {
            return "ApplicationCredential[" + (id != null ? id : name + " of " + userName) + "]";
        }
    }

    /** A user name and password, scoped to a project by id or name. */
    record Password(String userName, Ref userDomain, String password, Ref project, Ref projectDomain)
            implements OpenStackCredentials {
        @Override
        public Map<String, Object> authBody() {
            Map<String, Object> project = new LinkedHashMap<>(this.project.json());
            if (this.project.id() == null) {
                project.put("domain", projectDomain.json());
            }
            Map<String, Object> user = Map.of("name", userName, "domain", userDomain.json(), "password", password);
            return Map.of("identity", Map.of("methods", List.of("password"), "password", Map.of("user", user)),
                    "scope", Map.of("project", project));
        }

        @Override
        public String toString() {
            return "Password[" + userName + " in " + project + "]";
        }
    }
}
