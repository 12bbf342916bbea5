package heromgr.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** How one result shape is shown to a human; returns the exit code, since some results (health) decide it. */
@FunctionalInterface
public interface ResultView {
    int show(JsonNode result, HumanOutput out);
}
