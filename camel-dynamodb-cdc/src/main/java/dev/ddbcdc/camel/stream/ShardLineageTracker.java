package dev.ddbcdc.camel.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parent-before-child, the one place that decides it. Knows every shard the stream listed and whether it waits,
 * is being read, is finished, is halted (its records were lost and the loss policy halts its lineage), or is read by
 * another owner ({@link ShardOwnership}). A shard may be read once its parent is finished, or when its parent is not
 * listed any more (trimmed away long ago). A halted shard blocks its descendants, so their changes are never
 * delivered ahead of the parent's; so does a shard of another owner until its end is in the checkpoint store.
 */
public final class ShardLineageTracker {

    public enum State {
        WAITING, READING, FINISHED,
        /** Its records were lost and the loss policy halted its lineage. */
        HALTED,
        /** Read by another owner; finished once its end sentinel is in the shared checkpoint store. */
        ELSEWHERE
    }

    private static final class Node {
        final String parentId;
        State state;

        Node(String parentId, State state) {
            this.parentId = parentId;
            this.state = state;
        }
    }

    private final Map<String, Node> shards = new LinkedHashMap<>();

    /** Whether the shard is known. */
    public boolean knows(String shardId) {
        return shards.containsKey(shardId);
    }

    /** Adds a newly listed shard in the given state (FINISHED for one whose checkpoint is the end sentinel). */
    public void add(String shardId, String parentId, State state) {
        shards.putIfAbsent(shardId, new Node(parentId, state));
    }

    /** Shards waiting whose parent is finished or not listed, in listing order; they are marked READING. */
    public List<String> takeReady() {
        List<String> ready = new ArrayList<>();
        for (Map.Entry<String, Node> e : shards.entrySet()) {
            Node node = e.getValue();
            if (node.state == State.WAITING && parentAllows(node.parentId)) {
                ready.add(e.getKey());
            }
        }
        ready.forEach(id -> shards.get(id).state = State.READING);
        return ready;
    }

    private boolean parentAllows(String parentId) {
        if (parentId == null) {
            return true;
        }
        Node parent = shards.get(parentId);
        return parent == null || parent.state == State.FINISHED;
    }

    /** Whether a listed shard names this one as its parent. */
    public boolean hasChild(String shardId) {
        for (Node node : shards.values()) {
            if (shardId.equals(node.parentId)) {
                return true;
            }
        }
        return false;
    }

    public void finished(String shardId) {
        set(shardId, State.FINISHED);
    }

    public void halted(String shardId) {
        set(shardId, State.HALTED);
    }

    /**
     * The shards read by another owner whose end a shard of ours waits for: the parents, in state ELSEWHERE, of
     * waiting shards. Only their ends need looking for; another owner's other shards are none of ours.
     */
    public List<String> awaitedElsewhere() {
        List<String> ids = new ArrayList<>();
        shards.forEach((id, node) -> {
            if (node.state == State.WAITING && node.parentId != null) {
                Node parent = shards.get(node.parentId);
                if (parent != null && parent.state == State.ELSEWHERE) {
                    ids.add(node.parentId);
                }
            }
        });
        return ids;
    }

    private void set(String shardId, State state) {
        Node node = shards.get(shardId);
        if (node == null) {
            throw new IllegalArgumentException("Unknown shard " + shardId);
        }
        node.state = state;
    }

    /** The parent of a known shard, or {@code null} (none, or the shard is not known). */
    public String parentOf(String shardId) {
        Node node = shards.get(shardId);
        return node == null ? null : node.parentId;
    }

    public State state(String shardId) {
        Node node = shards.get(shardId);
        return node == null ? null : node.state;
    }

    /**
     * Forgets finished shards, and other owners' shards, that the stream no longer lists, keeping memory flat over a
     * long run.
     */
    public void forgetFinishedExcept(Set<String> listed) {
        shards.entrySet().removeIf(e -> (e.getValue().state == State.FINISHED || e.getValue().state == State.ELSEWHERE)
                                        && !listed.contains(e.getKey()));
    }

    /** Every known shard's state, in the order the shards were found. */
    public Map<String, State> states() {
        Map<String, State> states = new LinkedHashMap<>();
        shards.forEach((shardId, node) -> states.put(shardId, node.state));
        return states;
    }

    public long count(State state) {
        return shards.values().stream().filter(n -> n.state == state).count();
    }

    public int size() {
        return shards.size();
    }
}
