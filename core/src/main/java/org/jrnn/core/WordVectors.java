package org.jrnn.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pretrained word vectors in the word2vec / GloVe text format: one word per line followed by its numbers,
 * separated by spaces or tabs. A first line of exactly two integers (word2vec's "count dim" header) is read as
 * a header and checked against the lines that follow; GloVe files have none. Blank lines are skipped. A word
 * that appears twice keeps its first vector.
 */
public final class WordVectors {
    private final List<String> words;
    private final Map<String, Integer> index;
    private final int dim;
    private final float[] values;

    private WordVectors(List<String> words, Map<String, Integer> index, int dim, float[] values) {
        this.words = List.copyOf(words);
        this.index = index;
        this.dim = dim;
        this.values = values;
    }

    /** Reads a UTF-8 file. */
    public static WordVectors read(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        }
    }

    /**
     * Reads vectors from {@code reader}; {@code source} names it in messages.
     *
     * @throws IOException if reading fails, or naming the line of a malformed entry (a number that does not
     *                     parse, a count of numbers unlike the first line's, a header that disagrees)
     */
    public static WordVectors read(Reader reader, String source) throws IOException {
        BufferedReader lines = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<String> words = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        float[] values = new float[1024];
        int dim = -1;
        long declaredCount = -1;
        int lineNumber = 0;
        String line;
        while ((line = lines.readLine()) != null) {
            lineNumber++;
            String[] parts = line.strip().split("[ \t]+");
            if (parts.length == 1 && parts[0].isEmpty()) {
                continue;
            }
            if (lineNumber == 1 && parts.length == 2 && isInteger(parts[0]) && isInteger(parts[1])) {
                declaredCount = Long.parseLong(parts[0]);
                dim = Integer.parseInt(parts[1]);
                if (dim < 1) {
                    throw malformed(source, lineNumber, "header declares " + dim + " dimensions, expected >= 1");
                }
                continue;
            }
            if (parts.length < 2) {
                throw malformed(source, lineNumber, "expected a word and its numbers, found '" + abbreviate(line) + "'");
            }
            if (dim < 0) {
                dim = parts.length - 1;
            } else if (parts.length - 1 != dim) {
                throw malformed(source, lineNumber, "expected " + dim + " numbers after '" + parts[0] + "', found "
                        + (parts.length - 1));
            }
            int row = words.size();
            if ((long) (row + 1) * dim > Integer.MAX_VALUE - 8) {
                throw malformed(source, lineNumber, "too many vectors for one array");
            }
            if ((row + 1) * dim > values.length) {
                values = java.util.Arrays.copyOf(values, Math.max((row + 1) * dim, values.length * 2));
            }
            for (int j = 0; j < dim; j++) {
                try {
                    float v = Float.parseFloat(parts[j + 1]);
                    if (!Float.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    values[row * dim + j] = v;
                } catch (NumberFormatException e) {
                    throw malformed(source, lineNumber, "number " + (j + 1) + " of '" + parts[0]
                            + "' must be a finite decimal, found '" + abbreviate(parts[j + 1]) + "'");
                }
            }
            if (index.putIfAbsent(parts[0], row) == null) {
                words.add(parts[0]);
            }
        }
        if (words.isEmpty()) {
            throw new IOException(source + ": no word vectors found");
        }
        if (declaredCount >= 0 && declaredCount != words.size()) {
            throw new IOException(source + ": the header declares " + declaredCount + " vectors, the file has "
                    + words.size());
        }
        return new WordVectors(words, index, dim, java.util.Arrays.copyOf(values, words.size() * dim));
    }

    private static IOException malformed(String source, int line, String what) {
        return new IOException(source + ":" + line + ": " + what);
    }

    private static boolean isInteger(String s) {
        return s.matches("\\d{1,9}");
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /** Number of words. */
    public int size() {
        return words.size();
    }

    public int dim() {
        return dim;
    }

    /** The words in file order (first occurrences). */
    public List<String> words() {
        return words;
    }

    /** The row of {@code word}, or −1. */
    public int indexOf(String word) {
        return index.getOrDefault(word, -1);
    }

    /** Copies the vector of row {@code row} into {@code dst} at {@code offset}. */
    public void copyRow(int row, float[] dst, int offset) {
        System.arraycopy(values, row * dim, dst, offset, dim);
    }

    /** The variance of all values (about their mean). */
    public double variance() {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.max(0, squares / values.length - mean * mean);
    }
}
