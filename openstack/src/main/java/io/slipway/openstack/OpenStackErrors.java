package io.slipway.openstack;

import org.openstack4j.api.exceptions.OS4JException;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.common.ActionResponse;

import java.util.Locale;

/**
 * Turns what the cloud answered into a {@link VmImageException} with a reason code. Nova reports an exceeded quota as
 * 413 {@code overLimit} (older) or 403 {@code forbidden} whose message says "Quota exceeded"; Glance as 413.
 */
final class OpenStackErrors {

    private OpenStackErrors() {
    }

    static VmImageException classify(String action, RuntimeException e) {
        if (e instanceof VmImageException known) {
            return known;
        }
        if (e instanceof ResponseException response) {
            return fromStatus(action, response.getStatus(), response.getMessage(), e);
        }
        if (e instanceof OS4JException) {
            return new VmImageException(VmFailureReason.CONFIG_INVALID, action + " failed: " + e.getMessage(), e);
        }
        return new VmImageException(VmFailureReason.INFRASTRUCTURE, action + " failed: " + e, e);
    }

    static VmImageException fromStatus(String action, int status, String detail, Throwable cause) {
        String message = action + (status > 0 ? " failed with HTTP " + status : " failed") + ": " + detail;
        return new VmImageException(reasonFor(status, detail), message, cause);
    }

    /** The response, or the classified failure thrown; 404 counts as done where the action removes something. */
    static ActionResponse check(String action, ActionResponse response, boolean goneIsDone) {
        if (!response.isSuccess() && !(goneIsDone && response.getCode() == 404)) {
            throw fromStatus(action, response.getCode(), response.getFault(), null);
        }
        return response;
    }

    private static VmFailureReason reasonFor(int status, String detail) {
        boolean quota = detail != null && detail.toLowerCase(Locale.ROOT).contains("quota");
        if (status == 413 || (status == 403 && quota)) {
            return VmFailureReason.QUOTA_EXCEEDED;
        }
        if (status == 0 || status == 408 || status == 429 || status >= 500) {
            return VmFailureReason.INFRASTRUCTURE;
        }
        return status == 409 ? VmFailureReason.SERVER_ERROR : VmFailureReason.CONFIG_INVALID;
    }
}
