package org.kohsuke.stapler;

import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.kohsuke.stapler.AncestorInPath.HandlerImpl;

@Retention(RUNTIME)
@Target(PARAMETER)
@Documented
@InjectedParameter(HandlerImpl.class)
public @interface AncestorInPath {
    class HandlerImpl extends AnnotationHandler<AncestorInPath> {}
}
