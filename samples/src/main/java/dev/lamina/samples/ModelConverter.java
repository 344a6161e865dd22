package dev.lamina.samples;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --model NAME} read into the registry ({@link SampleModel}): an unknown name is a usage error (exit code 2)
 * that lists the valid ones.
 */
final class ModelConverter implements ITypeConverter<SampleModel> {
    @Override
    public SampleModel convert(String name) {
        try {
            return SampleModel.of(name);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** Every model's name, for the help's {@code ${COMPLETION-CANDIDATES}}. */
    static final class AllNames extends ArrayList<String> {
        AllNames() {
            super(names(List.of(SampleModel.values())));
        }
    }

    /** The benchmarked models' names, for {@code bench --help}. */
    static final class BenchmarkedNames extends ArrayList<String> {
        BenchmarkedNames() {
            super(names(SampleModel.benchmarkedModels()));
        }
    }

    private static List<String> names(List<SampleModel> models) {
        return models.stream().map(SampleModel::cliName).toList();
    }
}
