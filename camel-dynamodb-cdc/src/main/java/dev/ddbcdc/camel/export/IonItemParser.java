package dev.ddbcdc.camel.export;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.amazon.ion.IonException;
import com.amazon.ion.IonReader;
import com.amazon.ion.IonType;
import com.amazon.ion.system.IonReaderBuilder;

/**
 * Reads an ION export line, {@code $ion_1_0 {Item:{...}}}. Ion decimals ({@code 103.}, {@code 6d2}) become exact
 * {@link BigDecimal}s; lists annotated {@code $dynamodb_SS}, {@code $dynamodb_NS} and {@code $dynamodb_BS} become
 * sets; blobs become {@code byte[]}.
 */
final class IonItemParser implements ItemParser {

    private static final IonReaderBuilder READERS = IonReaderBuilder.standard();
    private static final String STRING_SET = "$dynamodb_SS";
    private static final String NUMBER_SET = "$dynamodb_NS";
    private static final String BINARY_SET = "$dynamodb_BS";

    @Override
    public Map<String, Object> parse(byte[] utf8, int offset, int length) {
        Map<String, Object> item = new IonLineParser().parse(utf8, offset, length);
        return item != null ? item : parseWithIonJava(utf8, offset, length);
    }

    /** {@link #parse(byte[], int, int)} by ion-java alone: the reference for {@link IonLineParser}. */
    static Map<String, Object> parseWithIonJava(byte[] utf8, int offset, int length) {
        try (IonReader reader = READERS.build(utf8, offset, length)) {
            Map<String, Object> item = line(reader, reader.next());
            if (reader.next() != null) {
                throw new IllegalArgumentException("more than one value in the line");
            }
            return item;
        } catch (IonException e) {
            throw new IllegalArgumentException("not valid Ion: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("not readable: " + e.getMessage(), e);
        }
    }

    @Override
    public ItemReader reader(InputStream gunzipped, long linesBefore) {
        return new IonLineReader(gunzipped, linesBefore);
    }

    /** An ion-java reader of a stream of Ion text lines. */
    static IonReader ionReader(InputStream in) {
        return READERS.build(in);
    }

    /**
     * Reads one line's value, {@code {Item:{...}}}, the reader being on it ({@code type} is what {@code next()}
     * returned); the reader stays on it. Throws {@link IllegalArgumentException} when the value is not an item.
     */
    static Map<String, Object> line(IonReader reader, IonType top) {
        if (top != IonType.STRUCT || reader.isNullValue()) {
            throw new IllegalArgumentException("expected an Ion struct");
        }
        Map<String, Object> item = null;
        reader.stepIn();
        IonType type;
        while ((type = reader.next()) != null) {
            String field = reader.getFieldName();
            ItemParser.rejectIncrementalField(field);
            if ("Item".equals(field)) {
                if (type != IonType.STRUCT || reader.isNullValue()) {
                    throw new IllegalArgumentException("Item must be a struct");
                }
                item = struct(reader);
            }
        }
        reader.stepOut();
        if (item == null) {
            throw new IllegalArgumentException("no Item in the line");
        }
        return item;
    }

    private static Map<String, Object> struct(IonReader reader) {
        Map<String, Object> map = new LinkedHashMap<>();
        reader.stepIn();
        IonType type;
        while ((type = reader.next()) != null) {
            map.put(reader.getFieldName(), value(reader, type));
        }
        reader.stepOut();
        return map;
    }

    private static Object value(IonReader reader, IonType type) {
        if (reader.isNullValue()) {
            return null;
        }
        switch (type) {
            case STRING:
            case SYMBOL:
                return reader.stringValue();
            case DECIMAL:
                return reader.bigDecimalValue();
            case INT:
                return new BigDecimal(reader.bigIntegerValue());
            case FLOAT:
                return new BigDecimal(Double.toString(reader.doubleValue()));
            case BOOL:
                return reader.booleanValue();
            case BLOB:
                return reader.newBytes();
            case STRUCT:
                return struct(reader);
            case LIST:
                String[] annotations = reader.getTypeAnnotations();
                String annotation = annotations.length > 0 ? annotations[0] : null;
                if (STRING_SET.equals(annotation) || NUMBER_SET.equals(annotation) || BINARY_SET.equals(annotation)) {
                    return set(reader, annotation);
                }
                return list(reader);
            default:
                throw new IllegalArgumentException("Ion " + type + " is not a DynamoDB attribute type");
        }
    }

    private static List<Object> list(IonReader reader) {
        List<Object> list = new ArrayList<>();
        reader.stepIn();
        IonType type;
        while ((type = reader.next()) != null) {
            list.add(value(reader, type));
        }
        reader.stepOut();
        return list;
    }

    private static Set<Object> set(IonReader reader, String annotation) {
        IonType expected = STRING_SET.equals(annotation) ? IonType.STRING
                : NUMBER_SET.equals(annotation) ? IonType.DECIMAL : IonType.BLOB;
        Set<Object> set = new LinkedHashSet<>();
        reader.stepIn();
        IonType type;
        while ((type = reader.next()) != null) {
            boolean number = expected == IonType.DECIMAL && (type == IonType.INT || type == IonType.FLOAT);
            if (type != expected && !number || reader.isNullValue()) {
                throw new IllegalArgumentException(annotation + " holds a " + type + "; expected " + expected);
            }
            set.add(value(reader, type));
        }
        reader.stepOut();
        return set;
    }
}
