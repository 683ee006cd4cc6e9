package dev.sluice.cli;

import dev.sluice.inspect.Client;
import dev.sluice.inspect.CurlCommand;
import dev.sluice.inspect.CurlException;
import dev.sluice.inspect.History;
import dev.sluice.inspect.HistoryEntry;
import dev.sluice.inspect.OutputOptions;
import dev.sluice.inspect.RequestSpec;
import dev.sluice.inspect.Response;
import dev.sluice.inspect.Transfer;
import dev.sluice.inspect.TransferPrinter;
import dev.sluice.inspect.Url;
import dev.sluice.inspect.tui.Inspector;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code sluice inspect --print CURL-ARGS}: sends the request curl's arguments describe and
 * prints it and its response whole, with sizes and timings. Exit codes are curl's (see
 * {@link Transfer#exitCode()}); 2 for arguments that cannot be used.
 */
@Command(name = "inspect",
        description = {"Send a request written as curl arguments; see what went over the wire.",
            "A pasted \"Copy as cURL\" line works too. Shows the request and the response",
            "as they went, the response laid out for reading, sizes and timings."},
        customSynopsis = {"sluice inspect [--no-history] [--live ADMIN-URL [--token T]] [CURL-ARGUMENTS...]",
            "       sluice inspect --print [--raw] [--no-history] CURL-ARGUMENTS..."},
        footer = {"",
            "Without --print: a full-screen editor for the request (F1 lists its keys).",
            "  --print        send the request; print it, the response and a summary",
            "  --raw          print the exact bytes sent and received instead",
            "                 (the summary goes to stderr)",
            "  --live URL     watch the requests through the Sluice whose admin listener is at URL",
            "                 (F3 lists them; Enter loads one to send again)",
            "  --token T      its admin token (default: $SLUICE_ADMIN_TOKEN)",
            "  --no-history   do not add the request to the history file",
            "                 ($XDG_STATE_HOME/sluice/" + History.FILE_NAME + ")",
            "",
            "These come before the curl arguments. One argument that starts with",
            "\"curl \" is read as a pasted command line.",
            "",
            "Exit status: 0 for a response below 400; 22 for 400 and above (as",
            "curl --fail); curl's codes for failures (6 DNS, 7 connect, 28 timeout...);",
            "2 for arguments that cannot be used. Reference: docs/inspect.md."})
final class InspectCommand implements Callable<Integer> {

    static final int USAGE = CurlException.USAGE;
    /** curl's CURLE_WRITE_ERROR: the body could not be written to the -o file. */
    static final int WRITE_ERROR = 23;

    private static final Set<String> OWN = Set.of("--print", "--raw", "--no-history", "--live", "--token", "-h",
            "--help");

    @Spec
    CommandSpec spec;

    // Taken so that picocli accepts curl's options, and not read: picocli would have expanded
    // "@file" arguments (curl's -d @file) and dropped "--"; the original arguments are read instead.
    @Unmatched
    List<String> unmatched;

    @Override
    public Integer call() {
        List<String> args = originalArgs();
        boolean print = false;
        boolean raw = false;
        boolean history = true;
        String live = null;
        String token = System.getenv("SLUICE_ADMIN_TOKEN");
        int i = 0;
        for (; i < args.size() && OWN.contains(args.get(i)); i++) {
            String option = args.get(i);
            if ((option.equals("--live") || option.equals("--token")) && i + 1 == args.size()) {
                System.err.println("sluice inspect: " + option + " needs a value");
                return USAGE;
            }
            switch (option) {
                case "--print" -> print = true;
                case "--raw" -> raw = true;
                case "--no-history" -> history = false;
                case "--live" -> live = args.get(++i);
                case "--token" -> token = args.get(++i);
                default -> {
                    spec.commandLine().usage(System.out);
                    return 0;
                }
            }
        }
        Optional<Inspector.LiveSource> liveSource;
        try {
            liveSource = live == null ? Optional.empty() : Optional.of(new Inspector.LiveSource(Url.parse(live), token));
        } catch (CurlException e) {
            System.err.println("sluice inspect: --live " + live + ": " + e.getMessage());
            return USAGE;
        }
        if (print && liveSource.isPresent()) {
            System.err.println("sluice inspect: --live is for the full-screen inspector, not with --print");
            return USAGE;
        }
        if (!print && i == args.size()) {
            return interactive(Optional.empty(), history, liveSource);
        }
        CurlCommand command;
        try {
            command = CurlCommand.parse(curlArgs(args.subList(i, args.size())));
        } catch (CurlException e) {
            String own = e.unknownOption() != null && OWN.contains(e.unknownOption())
                    ? " (" + e.unknownOption() + " is sluice inspect's own option: put it before the curl arguments)" : "";
            System.err.println("sluice inspect: " + e.getMessage() + own);
            return e.exitCode();
        }
        if (!print) {
            return interactive(Optional.of(command.request()), history, liveSource);
        }
        Transfer t = Client.create().send(command.request());
        if (history) {
            remember(t);
        }
        return show(t, command.output(), raw);
    }

    /** The arguments after {@code inspect}, as given. */
    private List<String> originalArgs() {
        List<String> all = spec.commandLine().getParseResult().originalArgs();
        int at = all.indexOf(spec.name());
        return all.subList(at + 1, all.size());
    }

    /** One argument that is a whole pasted command ({@code curl 'https://…' -H …}) is split as a shell would. */
    private static List<String> curlArgs(List<String> args) throws CurlException {
        if (args.size() == 1 && args.getFirst().strip().matches("(?s)curl\\s.*")) {
            return CurlCommand.words(args.getFirst());
        }
        return args;
    }

    /** The full-screen inspector, {@code request} in its editor. */
    private static int interactive(Optional<RequestSpec> request, boolean history,
            Optional<Inspector.LiveSource> live) {
        try {
            Inspector.run(request, history ? Optional.of(History.at(History.defaultFile(System.getenv())))
                    : Optional.empty(), live);
            return 0;
        } catch (IOException e) {
            System.err.println("sluice inspect: cannot use the terminal: " + e + " (--print works without one)");
            return USAGE;
        }
    }

    private static void remember(Transfer t) {
        Optional<HistoryEntry> entry = HistoryEntry.of(t, Instant.now());
        if (entry.isEmpty()) {
            return;
        }
        History h = History.at(History.defaultFile(System.getenv()));
        try {
            h.append(entry.get());
        } catch (IOException e) {
            System.err.println("sluice inspect: the request was not added to the history " + h.file() + ": " + e
                    + " (--no-history leaves it out)");
        }
    }

    private static int show(Transfer t, OutputOptions output, boolean raw) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        String bodyFile = null;
        int code = t.exitCode();
        if (output.outputFile() != null && t.response().isPresent()) {
            Response r = t.response().get();
            try {
                Files.write(output.outputFile(), r.body().toByteArray());
                bodyFile = output.outputFile().toString();
            } catch (IOException e) {
                System.err.println("sluice inspect: (" + WRITE_ERROR + ") cannot write the body to " + output.outputFile()
                        + ": " + e);
                code = WRITE_ERROR;
            }
        }
        try {
            if (raw) {
                TransferPrinter.printRaw(t, out);
                List<String> summaries = new ArrayList<>();
                for (int k = 0; k < t.exchanges().size(); k++) {
                    summaries.add(TransferPrinter.summary(t.exchanges().get(k),
                            k + 1 < t.exchanges().size() ? t.exchanges().get(k + 1) : null));
                }
                summaries.forEach(System.err::println);
            } else {
                TransferPrinter.print(t, out, bodyFile);
            }
        } catch (IOException e) {
            System.err.println("sluice inspect: (" + WRITE_ERROR + ") cannot write to standard output: " + e);
            return WRITE_ERROR;
        }
        out.flush();
        if (t.failure() != null && (!output.silent() || output.showError())) {
            System.err.println("sluice inspect: " + t.failure());
        }
        return code;
    }
}
