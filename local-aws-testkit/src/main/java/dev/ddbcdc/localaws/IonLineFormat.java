package dev.ddbcdc.localaws;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.amazon.ion.IonType;
import com.amazon.ion.IonWriter;
import com.amazon.ion.system.IonTextWriterBuilder;
import com.amazon.ion.system.IonWriterBuilder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code $ion_1_0 {Item:{pk:"a",n:0.1,c:6d2,s:$dynamodb_SS::["x"]}}}: one text Ion stream per line, written with
 * ion-java's text writer (field names and strings escaped by it). Numbers are Ion decimals built from the exact
 * DynamoDB number with trailing zeros stripped, so {@code 103} is {@code 103.} and {@code 600} is {@code 6d2}: readers
 * meet both the plain and the exponent form. Sets are lists annotated {@code $dynamodb_SS}, {@code $dynamodb_NS},
 * {@code $dynamodb_BS}; binary is a blob; NULL is {@code null}. A line of an incremental export is
 * {@code $ion_1_0 {Metadata:{WriteTimestampMicros:1680109764000000},Keys:{...},OldImage:{...},NewImage:{...}}}, the
 * write time an Ion integer, the images as items are.
 */
final class IonLineFormat implements ExportLineFormat {

    static final String NAME = "ION";

    private static final IonTextWriterBuilder WRITERS = IonTextWriterBuilder.standard()
            .withInitialIvmHandling(IonWriterBuilder.InitialIvmHandling.ENSURE)
            .immutable();

    @Override
    public String exportFormat() {
        return NAME;
    }

    @Override
    public String fileSuffix() {
        return ".ion.gz";
    }

    @Override
    public void writeLine(Map<String, AttributeValue> item, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder(256);
        try (IonWriter ion = WRITERS.build(line)) {
            ion.stepIn(IonType.STRUCT);
            ion.setFieldName("Item");
            writeStruct(ion, item);
            ion.stepOut();
        }
        line.append('\n');
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void writeChangeLine(ChangeRecord change, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder(512);
        try (IonWriter ion = WRITERS.build(line)) {
            ion.stepIn(IonType.STRUCT);
            ion.setFieldName("Metadata");
            ion.stepIn(IonType.STRUCT);
            ion.setFieldName("WriteTimestampMicros");
            ion.writeInt(change.writeTimestampMicros());
            ion.stepOut();
            ion.setFieldName("Keys");
            writeStruct(ion, change.keys());
            if (change.oldImage() != null) {
                ion.setFieldName("OldImage");
                writeStruct(ion, change.oldImage());
            }
            if (change.newImage() != null) {
                ion.setFieldName("NewImage");
                writeStruct(ion, change.newImage());
            }
            ion.stepOut();
        }
        line.append('\n');
        out.write(line.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The Ion decimal of a DynamoDB number: exact, trailing zeros stripped (600 becomes 6d2). */
    static BigDecimal decimal(String dynamoDbNumber) {
        return new BigDecimal(dynamoDbNumber).stripTrailingZeros();
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
            case N -> ion.writeDecimal(decimal(value.n()));
            case B -> ion.writeBlob(value.b().asByteArrayUnsafe());
            case BOOL -> ion.writeBool(value.bool());
            case NUL -> ion.writeNull();
            case SS -> {
                ion.setTypeAnnotations("$dynamodb_SS");
                ion.stepIn(IonType.LIST);
                for (String s : value.ss()) {
                    ion.writeString(s);
                }
                ion.stepOut();
            }
            case NS -> {
                ion.setTypeAnnotations("$dynamodb_NS");
                ion.stepIn(IonType.LIST);
                for (String n : value.ns()) {
                    ion.writeDecimal(decimal(n));
                }
                ion.stepOut();
            }
            case BS -> {
                ion.setTypeAnnotations("$dynamodb_BS");
                ion.stepIn(IonType.LIST);
                for (SdkBytes bytes : value.bs()) {
                    ion.writeBlob(bytes.asByteArrayUnsafe());
                }
                ion.stepOut();
            }
            case M -> writeStruct(ion, value.m());
            case L -> {
                ion.stepIn(IonType.LIST);
                for (AttributeValue element : value.l()) {
                    writeValue(ion, element);
                }
                ion.stepOut();
            }
            default -> throw new IllegalArgumentException("Unknown attribute value type: " + value);
        }
    }
}
