package org.jrnn.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tokens (words or characters) and their ids {@code 0 … size−1}, in a fixed order. Ids index the rows of an
 * embedding and the classes of an output layer, so a model and its vocabulary travel together (checkpoints
 * store both).
 */
public final class Vocabulary {
    private final List<String> words;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        this.ids = new HashMap<>();
        for (int i = 0; i < this.words.size(); i++) {
            if (ids.putIfAbsent(this.words.get(i), i) != null) {
                throw new IllegalArgumentException("vocabulary: '" + this.words.get(i) + "' appears twice (ids "
                        + ids.get(this.words.get(i)) + " and " + i + ")");
            }
        }
        if (this.words.isEmpty()) {
            throw new IllegalArgumentException("vocabulary: needs at least one word, found none");
        }
    }

    /** The words in id order; each once. */
    public static Vocabulary of(Collection<String> words) {
        return new Vocabulary(new ArrayList<>(Objects.requireNonNull(words, "words")));
    }

    /** The distinct characters (Unicode code points) of {@code text}, in code-point order. */
    public static Vocabulary characters(CharSequence text) {
        return of(text.codePoints().sorted().distinct().mapToObj(Character::toString).toList());
    }

    public int size() {
        return words.size();
    }

    public String word(int id) {
        if (id < 0 || id >= words.size()) {
            throw new IllegalArgumentException("vocabulary: id must be in [0, " + words.size() + "), found " + id);
        }
        return words.get(id);
    }

    /** The id of {@code word}, or −1 if it is not in the vocabulary. */
    public int indexOf(String word) {
        return ids.getOrDefault(word, -1);
    }

    /** The id of {@code word}; an exception naming it if it is not in the vocabulary. */
    public int id(String word) {
        int id = indexOf(word);
        if (id < 0) {
            throw new IllegalArgumentException("vocabulary: '" + word + "' is not among its " + words.size()
                    + " words");
        }
        return id;
    }

    /** The ids of the characters of {@code text} (a character vocabulary). */
    public int[] encodeCharacters(CharSequence text) {
        return text.codePoints().map(cp -> id(Character.toString(cp))).toArray();
    }

    /** The words in id order. */
    public List<String> words() {
        return words;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.words.equals(words);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary(" + words.size() + " words)";
    }
}
