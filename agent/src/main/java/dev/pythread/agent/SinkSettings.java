package dev.pythread.agent;

/**
 * What every audit sink is told by the options: its name for messages, which events it records, what a failure does
 * and whether start records carry their caller.
 *
 * @param name            the sink as messages name it: {@code jsonl:/var/log/app/threads.jsonl}, {@code stderr}, …
 * @param events          {@code events=}
 * @param onFail          {@code onfail=}
 * @param attributeCaller {@code caller=frame}
 */
record SinkSettings(String name, EventFilter events, AgentOptions.OnFail onFail, boolean attributeCaller) {

    /** The settings {@code options} give the sink called {@code name}. */
    static SinkSettings of(String name, AgentOptions options) {
        return new SinkSettings(name, options.events(), options.onFail(), options.attributeCaller());
    }
}
