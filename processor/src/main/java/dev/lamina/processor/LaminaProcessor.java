package dev.lamina.processor;

import com.google.auto.service.AutoService;
import dev.lamina.dsl.Network;
import dev.lamina.processor.check.Rule;
import dev.lamina.processor.check.Rules;
import dev.lamina.processor.check.SizesFitArrays;
import dev.lamina.processor.check.SoundPart;
import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.diag.ReportedNodes;
import dev.lamina.processor.diag.Unread;
import dev.lamina.processor.emit.cuda.CudaEmitter;
import dev.lamina.processor.emit.cuda.DeviceProgram;
import dev.lamina.processor.emit.java.JavaEmitter;
import dev.lamina.processor.emit.summary.NetworkSummary;
import dev.lamina.processor.fuse.Fusion;
import dev.lamina.processor.graph.Graph;
import dev.lamina.processor.plan.MemoryPlan;
import dev.lamina.processor.plan.MemoryPlanner;
import dev.lamina.processor.plan.Schedule;
import dev.lamina.processor.ops.OpKinds;
import dev.lamina.processor.read.LayersWithoutNetwork;
import dev.lamina.processor.read.MessagerDiagnostics;
import dev.lamina.processor.read.NetworkReader;
import dev.lamina.processor.shape.ShapeInference;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The entry point javac calls. For each {@code @Network} class it runs the pipeline
 * read -> check -> infer shapes -> check -> fuse -> plan memory -> emit Java. Reading and checking report every
 * mistake they can judge (each rule skips only what an earlier error left unknown); fusing, planning and emitting
 * run only for a network without errors. A class with layer fields but no {@code @Network} is an error on that
 * class. It never lets anything thrown escape into javac: an unexpected failure is an error that names the class
 * and says it is a bug in Lamina.
 */
@AutoService(Processor.class)
public final class LaminaProcessor extends AbstractProcessor {
    /** The network each generated class name was made for, across rounds: two must not share one. */
    private final Map<String, TypeElement> generatedFor = new HashMap<>();
    /** Told the name of each stage before it runs: nothing, but for tests of the failure path. */
    private final Consumer<String> beforeStage;

    public LaminaProcessor() {
        this(stage -> {
        });
    }

    /**
     * A processor that tells {@code beforeStage} the name of each stage ("read", "check", "shapes", "fuse", "plan",
     * "emit") before running it: the test seam through which a test makes a stage fail as a bug in Lamina would
     * (an {@code AssertionError} from an invariant), to prove the failure is reported, never thrown into javac.
     */
    LaminaProcessor(Consumer<String> beforeStage) {
        this.beforeStage = beforeStage;
    }

    /** {@code @Network}, and every layer annotation: a class with layers but no {@code @Network} is an error. */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> types = new LinkedHashSet<>();
        types.add(Network.class.getCanonicalName());
        OpKinds.annotations().forEach(a -> types.add(a.type().getCanonicalName()));
        return types;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            LayersWithoutNetwork.report(processingEnv.getMessager(), round);
        } catch (RuntimeException | Error e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "Lamina bug while looking for layer "
                    + "fields outside networks: " + e + " (please report it)");
        }
        for (Element element : round.getElementsAnnotatedWith(Network.class)) {
            try {
                if (element instanceof TypeElement type) {
                    compile(type);
                } else {
                    processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                            "@Network goes on an abstract class", element);
                }
            } catch (Throwable e) {
                // whatever escapes is Lamina's bug (an exception, a failed assertion, a linkage or stack error):
                // javac would show its own crash report instead of a message on the network
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                        "Lamina bug while compiling network " + element + ": " + e
                                + " (please report it with this trace)\n" + trace, element);
            }
        }
        return true;
    }

    private void compile(TypeElement type) throws IOException {
        beforeStage.accept("read");
        NetworkReader.Result read = new NetworkReader(processingEnv).read(type);
        if (read.graph().isEmpty()) {
            return;
        }
        MessagerDiagnostics diagnostics = new MessagerDiagnostics(processingEnv.getMessager(), read.origins());
        beforeStage.accept("check");
        Graph graph = check(read.graph().get(), read.unread(), diagnostics);
        if (graph == null || read.reported()) {
            return;
        }
        beforeStage.accept("fuse");
        graph = Fusion.fuse(graph);
        beforeStage.accept("plan");
        MemoryPlan plan = MemoryPlanner.plan(graph);
        Schedule schedule = Schedule.of(graph, plan);
        SizesFitArrays.checkPlan(plan.arenaPerSample(), plan.indicesPerSample(), plan.parameterCount(), diagnostics);
        if (diagnostics.hasErrors()) {
            return;
        }
        String generated = graph.packageName().isEmpty() ? graph.generatedClass()
                : graph.packageName() + "." + graph.generatedClass();
        TypeElement earlier = generatedFor.putIfAbsent(generated, type);
        if (earlier != null) {
            diagnostics.error("networks " + earlier.getQualifiedName() + " and " + type.getQualifiedName()
                    + " both generate " + generated + "; rename one of them");
            return;
        }
        TypeElement existing = processingEnv.getElementUtils().getTypeElement(generated);
        if (existing != null && isSource(existing)) {
            diagnostics.error("cannot generate " + generated + " for network " + type.getSimpleName() + ": a class "
                    + generated + " already exists; rename that class or the network");
            return;
        }
        beforeStage.accept("emit");
        try {
            new JavaEmitter(schedule, type).emit().writeTo(processingEnv.getFiler());
        } catch (FilerException e) {
            // javac refuses a second type of one name: the user's own class of that name
            diagnostics.error("cannot generate " + generated + " for network " + type.getSimpleName() + ": a class "
                    + generated + " already exists; rename that class or the network (" + e.getMessage() + ")");
            return;
        }
        // beside the class: its CUDA (the Maven plugin compiles it to PTX), the description the summary prints, and
        // the launches of its GPU path
        writeResource(type, graph, ".cu", new CudaEmitter(schedule).source());
        writeResource(type, graph, ".summary.tsv", NetworkSummary.text(graph, plan));
        writeResource(type, graph, ".program", new DeviceProgram(schedule).text());
    }

    /**
     * Whether {@code type} is declared in this compilation's sources; a class file left by an earlier build of the
     * same network is not a clash. Outside javac (no Trees) only the Filer's refusal is caught.
     */
    private boolean isSource(TypeElement type) {
        try {
            return Trees.instance(processingEnv).getTree(type) != null;
        } catch (IllegalArgumentException | LinkageError e) {
            return false;
        }
    }

    private void writeResource(TypeElement type, Graph graph, String suffix, String text) throws IOException {
        FileObject file = processingEnv.getFiler().createResource(StandardLocation.CLASS_OUTPUT,
                graph.packageName(), graph.generatedClass() + suffix, type);
        try (Writer writer = file.openWriter()) {
            writer.write(text);
        }
    }

    /**
     * Runs every rule that can judge the network and returns the shaped graph, or null after errors. Each group of
     * rules runs on what it needs, so that one mistake does not hide another, and no rule reasons from a value
     * already refused: the attribute rules on every layer the reader read as written; the wiring rule when every
     * reference resolved; shape inference and the shaped rules on the part of the graph that no refused layer
     * feeds ({@link SoundPart}); the rule on the layers the loss reads on the shaped graph when that part ends in
     * the output layer, else on the graph as read; the rule on the loss's shape when the output is shaped. Two
     * stops remain: a refused input leaves nothing to infer shapes from, and shapes that imply arrays beyond int
     * indexing ({@link Rules#sized}) keep the rules that compute with shapes in int from running, as their
     * arithmetic would wrap around into nonsense.
     */
    private Graph check(Graph graph, Unread unread, Diagnostics diagnostics) {
        ReportedNodes reported = new ReportedNodes(diagnostics);
        if (!runRules(Rules.declared(), graph, reported)) {
            return null; // no layers: nothing else to check
        }
        // a layer with a refused attribute is left out of shape inference; one the wiring rule reports is not
        ReportedNodes attributes = new ReportedNodes(reported);
        runRules(Rules.attributes(), SoundPart.without(graph, unread.layers()), attributes);
        if (!unread.references()) {
            runRules(Rules.wiring(), graph, reported);
        }
        runRules(Rules.secondOrder(), graph, reported);
        Set<Integer> refused = new HashSet<>(unread.layers());
        refused.addAll(attributes.nodes());
        Graph sound = SoundPart.of(graph, refused);
        boolean inputKnown = !unread.input() && !refused.contains(graph.input().id());
        boolean outputSound = inputKnown && SoundPart.keepsOutput(sound, graph);
        Graph shaped = null;
        boolean sizesFit = false;
        if (inputKnown) {
            beforeStage.accept("shapes");
            shaped = ShapeInference.infer(sound);
            sizesFit = runRules(Rules.sized(), shaped, new ReportedNodes(reported));
            runRules(Rules.perLayer(), shaped, reported);
            if (sizesFit) {
                runRules(Rules.shaped(), shaped, reported);
            }
        }
        runRules(Rules.output(), outputSound ? shaped : graph, reported);
        if (outputSound && sizesFit) {
            runRules(Rules.shapedOutput(), shaped, reported);
        }
        return reported.hasErrors() ? null : shaped;
    }

    /** Runs {@code rules}; whether none of them reported an error through {@code diagnostics}. */
    private static boolean runRules(Iterable<Rule> rules, Graph graph, Diagnostics diagnostics) {
        for (Rule rule : rules) {
            rule.check(graph, diagnostics);
        }
        return !diagnostics.hasErrors();
    }
}
