package dev.ddbcdc.camel.checkpoint;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.camel.support.processor.state.FileStateRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileCheckpointRepositoryTest {

    @TempDir
    Path dir;

    static FileCheckpointRepository started(File file) {
        FileCheckpointRepository repository = new FileCheckpointRepository(file);
        repository.start();
        return repository;
    }

    @Test
    void theLastValueOfEveryKeySurvivesARestart() {
        File file = dir.resolve("sub/checkpoints.dat").toFile();
        FileCheckpointRepository first = started(file);
        first.setState("dynamodb-cdc/a/shard-1", "seq:1");
        first.setState("dynamodb-cdc/a/shard-2", "seq:7");
        first.setState("dynamodb-cdc/a/shard-1", "seq:2");
        // no stop: as after a kill
        FileCheckpointRepository second = started(file);
        assertEquals("seq:2", second.getState("dynamodb-cdc/a/shard-1"));
        assertEquals("seq:7", second.getState("dynamodb-cdc/a/shard-2"));
        assertNull(second.getState("dynamodb-cdc/a/shard-3"));
    }

    /** A process killed in the middle of a line leaves it without its newline (and maybe without its '='). */
    @Test
    void aTornLastLineIsDroppedAndTheValueBeforeItUsed() throws Exception {
        File file = dir.resolve("checkpoints.dat").toFile();
        FileCheckpointRepository first = started(file);
        first.setState("k/shard-1", "seq:100");
        first.stop();
        Files.writeString(file.toPath(), "k/shard-1=seq:1", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        FileCheckpointRepository second = started(file);
        assertEquals("seq:100", second.getState("k/shard-1"));
        second.setState("k/shard-2", "END");
        FileCheckpointRepository third = started(file);
        assertEquals("seq:100", third.getState("k/shard-1"));
        assertEquals("END", third.getState("k/shard-2"));
        assertEquals("k/shard-1=seq:100\nk/shard-2=END\n", Files.readString(file.toPath()));
    }

    /** Why the component has its own file repository: Camel's cannot start on the file such a kill leaves. */
    @Test
    void camelsFileStateRepositoryFailsToStartOnALineWithoutItsEqualsSign() throws Exception {
        File file = dir.resolve("camel.dat").toFile();
        Files.writeString(file.toPath(), "k/shard-1=seq:100\nk/shard-1", StandardCharsets.UTF_8);
        FileStateRepository camel = FileStateRepository.fileStateRepository(file);
        assertThrows(RuntimeException.class, camel::start);
        assertEquals("seq:100", started(file).getState("k/shard-1"));
    }

    @Test
    void aGrownFileIsCompactedToTheCurrentValues() throws Exception {
        File file = dir.resolve("checkpoints.dat").toFile();
        FileCheckpointRepository repository = started(file);
        repository.setMaxFileSize(2_000);
        for (int i = 0; i < 1_000; i++) {
            repository.setState("k/shard-" + (i % 3), "seq:" + i);
        }
        assertTrue(Files.size(file.toPath()) < 2_000, "compacted: " + Files.size(file.toPath()));
        assertTrue(Files.notExists(dir.resolve("checkpoints.dat.compacting")));
        repository.setState("k/shard-0", "END");
        FileCheckpointRepository again = started(file);
        assertEquals("END", again.getState("k/shard-0"));
        assertEquals("seq:997", again.getState("k/shard-1"));
        assertEquals("seq:998", again.getState("k/shard-2"));
    }

    @Test
    void aLineThatIsNotKeyValueInTheMiddleFailsTheStartNamingIt() throws Exception {
        File file = dir.resolve("checkpoints.dat").toFile();
        Files.writeString(file.toPath(), "k/a=1\ngarbage\nk/b=2\n", StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> started(file));
        assertTrue(e.getMessage().contains("garbage"), e.getMessage());
    }

    /** S3 prefixes such as dt=2026-11-21/ end up in the snapshot's checkpoint keys. */
    @Test
    void keysAndValuesWithEqualsSignsPercentSignsAndLineBreaksSurviveARestart() {
        File file = dir.resolve("checkpoints.dat").toFile();
        FileCheckpointRepository first = started(file);
        first.setState("dynamodb-cdc/a/snapshot/exports/dt=2026-11-21/AWSDynamoDB/x/data/f.json.gz", "line=5");
        first.setState("100%3D", "50%25 %0A");
        first.setState("multi\nline\r", "value\nwith=break");
        FileCheckpointRepository second = started(file);
        assertEquals("line=5",
                second.getState("dynamodb-cdc/a/snapshot/exports/dt=2026-11-21/AWSDynamoDB/x/data/f.json.gz"));
        assertEquals("50%25 %0A", second.getState("100%3D"));
        assertEquals("value\nwith=break", second.getState("multi\nline\r"));
    }

    @Test
    void emptyKeysNullValuesAndAMissingFileAreRefused() {
        FileCheckpointRepository repository = started(dir.resolve("checkpoints.dat").toFile());
        assertThrows(IllegalArgumentException.class, () -> repository.setState("", "x"));
        assertThrows(IllegalArgumentException.class, () -> repository.setState("a", null));
        IllegalStateException e = assertThrows(IllegalStateException.class, new FileCheckpointRepository()::start);
        assertTrue(e.getMessage().contains("set fileStore"), e.getMessage());
    }

    @Test
    void theFileCanBeSetAsABeanProperty() {
        FileCheckpointRepository repository = new FileCheckpointRepository();
        repository.setFileStore(dir.resolve("bean.dat").toFile());
        repository.start();
        repository.setState("k", "v");
        assertEquals("v", started(dir.resolve("bean.dat").toFile()).getState("k"));
    }
}
