package io.slipway.tools;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The command line the {@code slipway} script forwards to: {@code runs} and {@code watch} ({@link RunsCommand}),
 * {@code dlq} ({@link DlqCommand}), {@code envs} ({@link EnvsCommand}).
 */
public final class SlipwayTools {

    private SlipwayTools() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), System.out, System.err));
    }

    /** Runs the command line {@code args}; returns the exit status. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("dlq")) {
            return DlqCommand.run(args.subList(1, args.size()), environment, out, err);
        }
        if (!args.isEmpty() && args.get(0).equals("envs")) {
            return EnvsCommand.run(args.subList(1, args.size()), environment, out, err);
        }
        if (!args.isEmpty() && (args.get(0).equals("runs") || args.get(0).equals("watch"))) {
            return RunsCommand.run(args, environment, out, err);
        }
        err.println(RunsCommand.USAGE);
        err.println(DlqCommand.USAGE);
        err.println(EnvsCommand.USAGE);
        return 2;
    }
}
