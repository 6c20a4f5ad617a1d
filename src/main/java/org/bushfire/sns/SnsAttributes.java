package org.bushfire.sns;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;
import org.bushfire.domain.UntrustedText;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** SNS message attributes and FIFO ids from untrusted ids: what SNS accepts, and stable for the same input. */
final class SnsAttributes {
    /** SNS FIFO group and deduplication ids: at most 128 of these ASCII characters. */
    private static final Pattern FIFO_ID = Pattern.compile("[A-Za-z0-9!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~]{1,128}");
    /** Longest attribute value we send: ids are at most 128 characters, so this never cuts an honest one. */
    private static final int MAX_ATTRIBUTE_LENGTH = 256;

    private SnsAttributes() {}

    /** An attribute value: the id without invisible characters, capped. */
    static String value(String id) {
        return UntrustedText.cap(UntrustedText.visible(id), MAX_ATTRIBUTE_LENGTH, "…");
    }

    /** The id itself when SNS takes it as a FIFO id, otherwise a stable name-based UUID of it. */
    static String fifoSafe(String id) {
        if (FIFO_ID.matcher(id).matches()) {
            return id;
        }
        return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }

    static MessageAttributeValue number(long value) {
        return MessageAttributeValue.builder().dataType("Number").stringValue(Long.toString(value)).build();
    }
}
