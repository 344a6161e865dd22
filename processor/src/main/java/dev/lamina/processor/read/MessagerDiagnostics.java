package dev.lamina.processor.read;

import dev.lamina.processor.diag.Diagnostics;
import dev.lamina.processor.graph.Node;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/** Reports each error on the element and annotation mirror its node came from. */
public final class MessagerDiagnostics implements Diagnostics {
    private final Messager messager;
    private final Origins origins;
    private boolean errors;

    public MessagerDiagnostics(Messager messager, Origins origins) {
        this.messager = messager;
        this.origins = origins;
    }

    @Override
    public void error(Node node, String message) {
        Origins.Origin o = origins.of(node.origin());
        messager.printMessage(Diagnostic.Kind.ERROR, message, o.element(), o.annotation());
        errors = true;
    }

    @Override
    public void error(String message) {
        messager.printMessage(Diagnostic.Kind.ERROR, message, origins.networkClass(), origins.networkAnnotation());
        errors = true;
    }

    @Override
    public boolean hasErrors() {
        return errors;
    }
}
