package org.jrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The progress display in both modes, durations, tokenization and the built-in corpus. */
class ProgressAndCorpusTest {

    @Test
    void theBarRedrawsInPlaceAndTheLogDoesNot() {
        StringWriter bar = new StringWriter();
        Progress terminal = new Progress(new PrintWriter(bar), true, 10);
        terminal.update(1, 5, 0.5, 1.25, 12345, 30, "character");
        terminal.update(1, 6, 0.6, 1.2, 12345, 20, "character");
        terminal.line("done");
        assertTrue(bar.toString().startsWith("\repoch 1  step 5  [============            ]  50%  loss 1.250  "
                + "12.3k characters/s  0:30 left"), bar.toString());
        assertTrue(bar.toString().endsWith("done" + System.lineSeparator()), bar.toString());
        StringWriter log = new StringWriter();
        Progress plain = new Progress(new PrintWriter(log), false, 3600);
        plain.update(1, 5, 0.5, 1.25, 999, 30, "word");
        plain.update(1, 6, 0.6, 1.2, 999, 20, "word");
        assertFalse(log.toString().contains("\r"));
        assertEquals(List.of("epoch 1 step 5 (50%): loss 1.2500, 999 words/s, 0:30 left"), log.toString().lines()
                .toList(), "at most one line per interval");
    }

    @Test
    void durations() {
        Durations d = new Durations();
        assertEquals(Duration.ofSeconds(90), d.convert("90s"));
        assertEquals(Duration.ofMinutes(15), d.convert("15m"));
        assertEquals(Duration.ofMinutes(90), d.convert("1h30m"));
        assertEquals(Duration.ofMillis(1500), d.convert("1.5"));
    }

    @Test
    void wordTokensKeepEveryCharacterSoJoiningInverts() {
        String text = "ADA:\nI'm here, Bruno!  Yes.";
        List<String> words = Corpus.Level.WORD.split(text);
        assertEquals(List.of("ADA", ":", "\n", "I'm", " ", "here", ",", " ", "Bruno", "!", " ", " ", "Yes", "."),
                words);
        assertEquals(text, Corpus.join(words));
        assertEquals(text.length(), Corpus.Level.CHAR.split(text).size());
    }

    @Test
    void theBuiltInCorpusIsTheGeneratorsOutput() {
        String text = DefaultCorpus.text();
        assertEquals(DefaultCorpus.generate(), text, "regenerate with DefaultCorpus.main after changing the grammar");
        assertTrue(text.length() >= DefaultCorpus.LENGTH);
        assertTrue(text.startsWith("THE "), text.substring(0, 40));
    }
}
