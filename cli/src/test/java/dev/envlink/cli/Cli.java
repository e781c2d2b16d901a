package dev.envlink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;

/** Runs envlink in-process through {@link Main#commandLine()} with captured stdout and stderr. */
final class Cli {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Cli() {
    }

    /** One finished run. */
    record Result(List<String> args, int exitCode, String out, String err) {

        /** stdout parsed as one JSON document (fails the test if it is not exactly that). */
        JsonNode json() {
            try {
                return MAPPER.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout of envlink " + String.join(" ", args)
                        + " is not JSON:\n" + out + "\nstderr:\n" + err, e);
            }
        }

        /** A description for assertion messages. */
        String describe() {
            return "envlink " + String.join(" ", args) + " -> exit " + exitCode
                    + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    static Result run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Result(List.copyOf(Arrays.asList(args)), code, out.toString(), err.toString());
    }

    /** The exit codes listed under the "Exit codes:" heading of a --help text. */
    static List<Integer> exitCodesListed(String help) {
        List<Integer> codes = new ArrayList<>();
        String[] lines = help.split("\\R");
        int i = 0;
        while (i < lines.length && !lines[i].strip().equals("Exit codes:")) {
            i++;
        }
        for (i++; i < lines.length; i++) {
            String line = lines[i];
            var m = java.util.regex.Pattern.compile("^\\s{1,4}(\\d+)\\s{2,}\\S.*").matcher(line);
            if (m.matches()) {
                codes.add(Integer.parseInt(m.group(1)));
            } else if (!line.isBlank() && !line.startsWith("      ")) {
                break; // a new section; continuation lines of a description are indented further
            }
        }
        return codes;
    }
}
