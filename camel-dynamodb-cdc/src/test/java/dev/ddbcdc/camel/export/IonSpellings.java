package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import com.amazon.ion.system.IonTextWriterBuilder;
import com.amazon.ion.system.IonWriterBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Export lines of the same item spelled in different valid ways: by the test kit's {@code IonLineFormat} (what the
 * emulator writes), by ion-java's text writer with other settings (all non-ASCII escaped, long strings), and by a
 * writer that picks a random spelling for every token (field names plain, 'quoted' or "string"; every kind of escape;
 * decimals as {@code 150.}, {@code 1.5d2}, {@code 15D+1}, ints; typed nulls; spaces and tabs; now and then a comment,
 * a float, a symbol, an unpadded blob or a trailing comma, which the native reader leaves to ion-java).
 */
final class IonSpellings {

    private final SplittableRandom random;
    private final Object kitFormat;
    private final Method kitWriteLine;

    IonSpellings(SplittableRandom random) {
        this.random = random;
        try {
            Class<?> format = Class.forName("dev.ddbcdc.localaws.IonLineFormat");
            Constructor<?> constructor = format.getDeclaredConstructor();
            constructor.setAccessible(true);
            kitFormat = constructor.newInstance();
            kitWriteLine = format.getDeclaredMethod("writeLine", Map.class, OutputStream.class);
            kitWriteLine.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line the test kit writes, without its line end. */
    String kit(Map<String, AttributeValue> item) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            kitWriteLine.invoke(kitFormat, item, out);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        String line = out.toString(StandardCharsets.UTF_8);
        return line.substring(0, line.length() - 1);
    }

    /** The line ion-java writes with non-ASCII escaped, and (when {@code longStrings}) long strings as '''...'''. */
    String ionJava(Map<String, AttributeValue> item, boolean longStrings) {
        IonTextWriterBuilder builder = IonTextWriterBuilder.standard().withCharset(StandardCharsets.US_ASCII)
                .withInitialIvmHandling(IonWriterBuilder.InitialIvmHandling.ENSURE);
        if (longStrings) {
            builder = builder.withLongStringThreshold(4);
        }
        StringBuilder line = new StringBuilder();
        try (IonWriter ion = builder.build(line)) {
            ion.stepIn(IonType.STRUCT);
            ion.setFieldName("Item");
            writeStruct(ion, item);
            ion.stepOut();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    private static void writeStruct(IonWriter ion, Map<String, AttributeValue> map) throws IOException {
        ion.stepIn(IonType.STRUCT);
        for (Map.Entry<String, AttributeValue> attribute : map.entrySet()) {
            ion.setFieldName(attribute.getKey());
            writeValue(ion, attribute.getValue());
        }
        ion.stepOut();
    }

    private static void writeValue(IonWriter ion, AttributeValue value) throws IOException {
        switch (value.type()) {
            case S -> ion.writeString(value.s());
            case N -> ion.writeDecimal(new BigDecimal(value.n()));
            case B -> ion.writeBlob(value.b().asByteArrayUnsafe());
            case BOOL -> ion.writeBool(value.bool());
            case NUL -> ion.writeNull(IonType.STRING);
            case SS, NS, BS -> {
                ion.setTypeAnnotations("$dynamodb_" + value.type().name());
                ion.stepIn(IonType.LIST);
                for (String s : value.ss()) {
                    ion.writeString(s);
                }
                for (String n : value.ns()) {
                    ion.writeDecimal(new BigDecimal(n));
                }
                for (SdkBytes b : value.bs()) {
                    ion.writeBlob(b.asByteArrayUnsafe());
                }
                ion.stepOut();
            }
            case M -> writeStruct(ion, value.m());
            default -> {
                ion.stepIn(IonType.LIST);
                for (AttributeValue element : value.l()) {
                    writeValue(ion, element);
                }
                ion.stepOut();
            }
        }
    }

    /** The item spelled at random; {@code odd} allows spellings that are unusual or not valid. */
    String random(Map<String, AttributeValue> item, boolean odd) {
        StringBuilder s = new StringBuilder();
        s.append(pick("$ion_1_0 ", "$ion_1_0 ", "", " $ion_1_0\t", "$ion_1_0  "));
        s.append('{').append(space()).append(pick("Item", "'Item'", "\"Item\"")).append(space()).append(':');
        struct(s, item, odd);
        if (odd && random.nextInt(10) == 0) {
            s.append(",Other:").append(pick("1", "{a:b}", "2007-01-01T", "(a b)", "x::\"y\""));
        }
        s.append(space()).append('}').append(odd && random.nextInt(20) == 0 ? pick(" // end", " /* c */", " x") : "");
        return s.toString();
    }

    private void struct(StringBuilder s, Map<String, AttributeValue> map, boolean odd) {
        s.append(space()).append('{').append(space());
        boolean first = true;
        for (Map.Entry<String, AttributeValue> attribute : map.entrySet()) {
            if (!first) {
                s.append(space()).append(',').append(space());
            }
            first = false;
            name(s, attribute.getKey());
            s.append(space()).append(':').append(space());
            value(s, attribute.getValue(), odd);
        }
        s.append(trailingComma(odd, first)).append(space()).append('}');
    }

    private void name(StringBuilder s, String name) {
        boolean plain = name.matches("[A-Za-z_$][A-Za-z0-9_$]*");
        int how = random.nextInt(plain ? 3 : 2);
        if (how == 2) {
            s.append(name);
        } else {
            quoted(s, name, how == 0 ? '\'' : '"');
        }
    }

    private void value(StringBuilder s, AttributeValue value, boolean odd) {
        switch (value.type()) {
            case S -> {
                if (odd && random.nextInt(30) == 0) {
                    s.append(pick("sym", "'sym'", "'''long''' '''er'''"));
                } else {
                    quoted(s, value.s(), '"');
                }
            }
            case N -> number(s, new BigDecimal(value.n()), odd);
            case B -> blob(s, value.b().asByteArrayUnsafe(), odd);
            case BOOL -> s.append(value.bool());
            case NUL -> s.append(pick("null", "null", "null.null", "null.string", "null.struct", "null.list",
                    "null.decimal", "null.blob", odd ? "null.foo" : "null"));
            case SS, NS, BS -> {
                s.append("$dynamodb_").append(value.type().name()).append(pick("::", " :: ", "::\t"));
                s.append('[').append(space());
                int n = 0;
                for (String e : value.ss()) {
                    s.append(n++ > 0 ? "," + space() : "");
                    quoted(s, e, '"');
                }
                for (String e : value.ns()) {
                    s.append(n++ > 0 ? "," + space() : "");
                    number(s, new BigDecimal(e), odd);
                }
                for (SdkBytes e : value.bs()) {
                    s.append(n++ > 0 ? "," + space() : "");
                    blob(s, e.asByteArrayUnsafe(), odd);
                }
                s.append(trailingComma(odd, n == 0)).append(space()).append(']');
            }
            case M -> struct(s, value.m(), odd);
            default -> {
                List<AttributeValue> list = value.l();
                s.append('[').append(space());
                for (int i = 0; i < list.size(); i++) {
                    s.append(i > 0 ? space() + "," + space() : "");
                    value(s, list.get(i), odd);
                }
                s.append(trailingComma(odd, list.isEmpty())).append(space()).append(']');
            }
        }
    }

    private void number(StringBuilder s, BigDecimal d, boolean odd) {
        String digits = d.unscaledValue().abs().toString();
        String sign = d.signum() < 0 || d.signum() == 0 && random.nextInt(4) == 0 ? "-" : "";
        int exponent = -d.scale();
        switch (random.nextInt(odd ? 6 : 5)) {
            case 0 -> s.append(sign).append(digits).append(pick("d", "D")).append(exponent > 0 && random.nextBoolean() ? "+" : "").append(exponent);
            case 1 -> {
                if (d.scale() >= 0) {
                    String plain = d.abs().toPlainString();
                    s.append(sign).append(plain).append(plain.contains(".") ? "" : ".");
                } else {
                    s.append(sign).append(digits).append('d').append(exponent);
                }
            }
            case 2 -> s.append(sign).append(digits, 0, 1).append('.').append(digits, 1, digits.length()).append('d')
                    .append(exponent + digits.length() - 1);
            case 3 -> s.append(sign).append(d.scale() == 0 ? digits : digits + "d" + exponent);
            case 4 -> {
                String text = d.abs().toString();
                s.append(sign).append(text.contains("E") ? text.replace("E+", "d").replace('E', 'd')
                        : text.contains(".") ? text : text + ".");
            }
            default -> s.append(pick(sign + digits + "e0", "1_000", "0x10", "007", ".5", "+1", "1.5d", "nan", "1d99999"));
        }
    }

    private void blob(StringBuilder s, byte[] bytes, boolean odd) {
        String base64 = Base64.getEncoder().encodeToString(bytes);
        if (odd && random.nextInt(10) == 0) {
            base64 = pick(base64.replace("=", ""), base64.isEmpty() ? "" : base64.charAt(0) + " " + base64.substring(1),
                    "\"clob\"", base64 + "=");
        }
        s.append("{{").append(pick("", " ", "\t ")).append(base64).append(pick("", " ")).append("}}");
    }

    /** Text in quotes with every character spelled one of the ways Ion allows for it. */
    private void quoted(StringBuilder s, String text, char quote) {
        s.append(quote);
        text.codePoints().forEach(cp -> {
            int how = random.nextInt(5);
            if (cp == quote || cp == '\\') {
                s.append(how == 0 ? String.format("\\x%02x", cp) : "\\" + (char) cp);
            } else if (cp < 0x20 || cp == 0x7f) {
                String named = switch (cp) {
                    case 0 -> "\\0"; case 7 -> "\\a"; case 8 -> "\\b"; case 9 -> "\\t"; case 10 -> "\\n";
                    case 11 -> "\\v"; case 12 -> "\\f"; case 13 -> "\\r"; default -> null;
                };
                s.append(named != null && how < 3 ? named : String.format(how == 3 ? "\\u%04X" : "\\x%02x", cp));
            } else if (how == 0) {
                s.append(cp <= 0xff ? String.format("\\x%02X", cp) : cp <= 0xffff ? String.format("\\u%04x", cp)
                        : String.format("\\U%08x", cp));
            } else if (how == 1) {
                s.append(String.format("\\U%08X", cp));
            } else if (how == 2 && cp > 0xffff) {
                s.append(String.format("\\u%04x\\u%04x", (int) Character.highSurrogate(cp), (int) Character.lowSurrogate(cp)));
            } else {
                s.appendCodePoint(cp);
            }
        });
        s.append(quote);
    }

    private String space() {
        return pick("", "", "", " ", "\t", "  ");
    }

    private String trailingComma(boolean odd, boolean empty) {
        return odd && !empty && random.nextInt(30) == 0 ? "," : "";
    }

    private String pick(String... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
