package org.jrnn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in training text: plays that jrnn writes itself from a small grammar — titles, five acts of scenes,
 * speakers in capitals, lines of dialogue built from templates over a vocabulary of a few hundred words. It has the
 * structure a character-level model learns in a minute (names, the colon and line break after them,
 * capitalised sentences, common words, punctuation) and none of anyone else's prose. The jar ships the text as
 * the resource {@value #RESOURCE}; {@link #generate()} reproduces it exactly (a test checks), and
 * {@code main} rewrites it.
 */
public final class DefaultCorpus {
    /** Where the text lives in the jar. */
    public static final String RESOURCE = "/org/jrnn/cli/default-corpus.txt";
    /** Characters the generator writes, at least. */
    static final int LENGTH = 400_000;
    private static final long SEED = 1997;

    private static final List<String> NAMES = List.of("ADA", "BRUNO", "CLARA", "DORIAN", "ELSA", "FELIX", "GRETA",
            "HUGO", "IRIS", "JONAS", "KATYA", "LEON");
    private static final List<String> PLACES = List.of("A garden behind the old house", "The kitchen, at night",
            "A road by the river", "The market square", "A small room above the shop", "The harbour, in the rain",
            "A hill outside the town", "The library");
    private static final List<String> NOUNS = List.of("letter", "garden", "river", "door", "candle", "horse",
            "window", "key", "bread", "song", "ship", "road", "book", "coat", "lamp", "bridge", "bell", "ring",
            "storm", "field", "table", "stone", "apple", "mirror", "clock", "boat", "winter", "morning", "town",
            "market");
    private static final List<String> ADJECTIVES = List.of("old", "quiet", "bright", "cold", "little", "strange",
            "heavy", "green", "broken", "golden", "dark", "gentle", "narrow", "warm", "empty", "last");
    private static final List<String> VERBS = List.of("open", "find", "carry", "forget", "remember", "follow",
            "mend", "sell", "keep", "watch", "hide", "build", "burn", "answer", "leave", "bring");
    private static final List<String> PAST = List.of("opened", "found", "carried", "forgot", "remembered",
            "followed", "mended", "sold", "kept", "watched", "hid", "built", "burned", "answered", "left", "brought");
    private static final List<String> TIMES = List.of("tomorrow", "tonight", "before the rain", "after supper",
            "at first light", "when the bell rings", "in the spring", "before the market opens");
    private static final List<String> FEELINGS = List.of("afraid", "glad", "tired", "certain", "sorry", "ready",
            "lost", "happy");
    private static final List<String> ADVERBS = List.of("slowly", "quietly", "again", "at last", "too late",
            "by the river", "in the dark", "without a word");

    private DefaultCorpus() {
    }

    /** The text from the jar. */
    public static String text() {
        try (InputStream in = DefaultCorpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in corpus " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the play, the same every time. */
    public static String generate() {
        SplittableRandom r = new SplittableRandom(SEED);
        StringBuilder out = new StringBuilder(LENGTH + 4096);
        while (out.length() < LENGTH) {
            out.append("THE ").append(pick(r, ADJECTIVES).toUpperCase(java.util.Locale.ROOT)).append(' ')
                    .append(pick(r, NOUNS).toUpperCase(java.util.Locale.ROOT)).append("\nA play in five acts.\n\n");
            for (int act = 1; act <= 5; act++) {
                out.append("ACT ").append(roman(act)).append(".\n\n");
                int scenes = 2 + r.nextInt(3);
                for (int scene = 1; scene <= scenes; scene++) {
                    scene(r, out, scene);
                }
            }
            out.append("THE END.\n\n");
        }
        return out.toString();
    }

    private static void scene(SplittableRandom r, StringBuilder out, int scene) {
        out.append("SCENE ").append(roman(scene)).append(". ").append(pick(r, PLACES)).append(".\n\n");
        String a = pick(r, NAMES);
        String b = pick(r, NAMES);
        while (b.equals(a)) {
            b = pick(r, NAMES);
        }
        int speeches = 6 + r.nextInt(10);
        for (int i = 0; i < speeches; i++) {
            String speaker = i % 2 == 0 ? a : b;
            String listener = i % 2 == 0 ? b : a;
            out.append(speaker).append(":\n");
            int sentences = 1 + r.nextInt(3);
            for (int k = 0; k < sentences; k++) {
                out.append(k == 0 ? "" : " ").append(sentence(r, listener));
            }
            out.append("\n\n");
        }
        out.append("[Exit ").append(capitalized(a)).append(" and ").append(capitalized(b)).append(".]\n\n");
    }

    private static String capitalized(String name) {
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    private static String sentence(SplittableRandom r, String listener) {
        String name = capitalized(listener);
        String noun = pick(r, NOUNS);
        String other = pick(r, NOUNS);
        String adjective = pick(r, ADJECTIVES);
        return switch (r.nextInt(12)) {
            case 0 -> "I have seen the " + adjective + " " + noun + " " + pick(r, ADVERBS) + ".";
            case 1 -> "Where is my " + noun + ", " + name + "?";
            case 2 -> "We must " + pick(r, VERBS) + " the " + noun + " " + pick(r, TIMES) + ".";
            case 3 -> "The " + adjective + " " + noun + " is by the " + other + ".";
            case 4 -> "Did you " + pick(r, VERBS) + " the " + noun + "?";
            case 5 -> "I am " + pick(r, FEELINGS) + ", " + name + ".";
            case 6 -> "You " + pick(r, PAST) + " the " + noun + " and the " + other + ".";
            case 7 -> "No, " + name + ". The " + noun + " was " + adjective + ".";
            case 8 -> "Then " + pick(r, VERBS) + " it " + pick(r, TIMES) + "!";
            case 9 -> "Who " + pick(r, PAST) + " the " + adjective + " " + noun + "?";
            case 10 -> "Let us go to the " + noun + ", " + name + ".";
            default -> "Yes. I " + pick(r, PAST) + " the " + noun + " " + pick(r, ADVERBS) + ".";
        };
    }

    private static String pick(SplittableRandom r, List<String> words) {
        return words.get(r.nextInt(words.size()));
    }

    private static String roman(int n) {
        return new String[] {"I", "II", "III", "IV", "V"}[n - 1];
    }

    /** Rewrites the resource: {@code DefaultCorpus path/to/default-corpus.txt}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DefaultCorpus FILE");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), generate(), StandardCharsets.UTF_8);
    }
}
