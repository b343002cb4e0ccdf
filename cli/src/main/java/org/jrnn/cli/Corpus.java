package org.jrnn.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import org.jrnn.core.Vocabulary;

/** A text as a stream of token ids: characters (code points) or words (with whitespace as tokens). */
final class Corpus {
    /** How text becomes tokens; stored in checkpoints as the metadata {@value #KEY}. */
    enum Level {
        CHAR, WORD;

        static final String KEY = "tokens";

        /** The tokens of {@code text}: one per code point, or runs of letters/digits, and each other character. */
        List<String> split(String text) {
            List<String> out = new ArrayList<>();
            if (this == CHAR) {
                text.codePoints().forEach(cp -> out.add(Character.toString(cp)));
                return out;
            }
            int i = 0;
            while (i < text.length()) {
                int cp = text.codePointAt(i);
                int end = i + Character.charCount(cp);
                if (Character.isLetterOrDigit(cp) || cp == '\'') {
                    while (end < text.length() && (Character.isLetterOrDigit(text.codePointAt(end))
                            || text.codePointAt(end) == '\'')) {
                        end += Character.charCount(text.codePointAt(end));
                    }
                }
                out.add(text.substring(i, end));
                i = end;
            }
            return out;
        }

        /** The unit of bits per token in reports. */
        String unit() {
            return this == CHAR ? "character" : "word";
        }
    }

    final String name;
    final Level level;
    final List<String> tokens;

    private Corpus(String name, Level level, List<String> tokens) {
        this.name = name;
        this.level = level;
        this.tokens = tokens;
    }

    /** Reads a UTF-8 file; a missing, unreadable or non-UTF-8 file is a one-line error. */
    static Corpus read(Path file, Level level) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CliException("corpus " + file + " does not exist");
        } catch (IOException e) {
            throw new CliException("cannot read corpus " + file + ": " + e.getMessage(), e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CliException("corpus " + file + " is not UTF-8 text (" + e.getMessage() + ")");
        }
        return of(file.toString(), text, level);
    }

    static Corpus of(String name, String text, Level level) {
        return new Corpus(name, level, level.split(text));
    }

    /** The distinct tokens, most frequent first (ties in code-point order), so ids are stable for a text. */
    Vocabulary vocabulary() {
        TreeMap<String, Long> counts = counts();
        List<String> words = new ArrayList<>(counts.keySet());
        words.sort((a, b) -> Long.compare(counts.get(b), counts.get(a)));
        return Vocabulary.of(words);
    }

    TreeMap<String, Long> counts() {
        TreeMap<String, Long> counts = new TreeMap<>();
        for (String t : tokens) {
            counts.merge(t, 1L, Long::sum);
        }
        return counts;
    }

    /**
     * The ids of the tokens under {@code vocabulary}.
     *
     * @throws CliException naming the first token the vocabulary lacks and where it is
     */
    int[] encode(Vocabulary vocabulary) {
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            int id = vocabulary.indexOf(tokens.get(i));
            if (id < 0) {
                throw new CliException(name + ": " + level.unit() + " " + printable(tokens.get(i)) + " at token "
                        + i + " is not in the model's vocabulary of " + vocabulary.size() + " " + level.unit() + "s");
            }
            ids[i] = id;
        }
        return ids;
    }

    static String printable(String token) {
        StringBuilder s = new StringBuilder("'");
        token.codePoints().forEach(cp -> s.append(Character.isISOControl(cp) || Character.isWhitespace(cp)
                ? String.format("\\u%04x", cp) : Character.toString(cp)));
        return s.append("'").toString();
    }

    /** Joins tokens back into text (the split keeps every character, so joining is the inverse). */
    static String join(List<String> tokens) {
        return String.join("", tokens);
    }
}
