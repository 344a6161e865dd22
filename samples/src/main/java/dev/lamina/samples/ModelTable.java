package dev.lamina.samples;

import java.util.List;

/** The models as the help's footers list them: a name, then its summary, wrapped to the usage width. */
final class ModelTable {
    /** picocli's default usage width. */
    static final int WIDTH = 80;

    private ModelTable() {
    }

    /** One entry a model, {@code models} in order; a summary too long for a line goes on under itself. */
    static String of(List<SampleModel> models) {
        int nameWidth = models.stream().mapToInt(m -> m.cliName().length()).max().orElse(0);
        String indent = " ".repeat(2 + nameWidth + 2);
        StringBuilder table = new StringBuilder();
        for (SampleModel model : models) {
            StringBuilder line = new StringBuilder("  ").append(model.cliName())
                    .append(" ".repeat(nameWidth - model.cliName().length() + 2));
            for (String word : model.summary().split(" ")) {
                if (line.length() + 1 + word.length() > WIDTH && line.length() > indent.length()) {
                    table.append(line.toString().stripTrailing()).append('\n');
                    line = new StringBuilder(indent);
                }
                if (line.length() > indent.length() && line.charAt(line.length() - 1) != ' ') {
                    line.append(' ');
                }
                line.append(word);
            }
            table.append(line).append('\n');
        }
        return table.toString();
    }
}
