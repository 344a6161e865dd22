package dev.lamina.samples;

import static dev.lamina.dsl.Activation.RELU;

import dev.lamina.dsl.Concat;
import dev.lamina.dsl.Conv;
import dev.lamina.dsl.Dense;
import dev.lamina.dsl.Network;
import dev.lamina.dsl.Pool;
import dev.lamina.dsl.PoolKind;
import dev.lamina.runtime.Layer;

/**
 * A small GoogLeNet-style network: a stem, then one Inception module whose four branches (1x1; 1x1 then 3x3;
 * 1x1 then 5x5; a padded 3x3 max pool then 1x1) read the stem and are joined along channels.
 */
@Network(input = {1, 28, 28})
public abstract class InceptionNet {
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU)                      Layer stem;
    @Pool(kernel = 2)                                                                    Layer stemPool;
    @Conv(filters = 8, kernel = 1, activation = RELU)                                    Layer b1;
    @Conv(filters = 8, kernel = 1, activation = RELU, from = "stemPool")                 Layer b3Reduce;
    @Conv(filters = 16, kernel = 3, padding = 1, activation = RELU)                      Layer b3;
    @Conv(filters = 4, kernel = 1, activation = RELU, from = "stemPool")                 Layer b5Reduce;
    @Conv(filters = 8, kernel = 5, padding = 2, activation = RELU)                       Layer b5;
    @Pool(kind = PoolKind.MAX, kernel = 3, stride = 1, padding = 1, from = "stemPool")   Layer branchPool;
    @Conv(filters = 8, kernel = 1, activation = RELU)                                    Layer poolProj;
    @Concat(of = {"b1", "b3", "b5", "poolProj"})                                         Layer mixed;
    @Pool(kernel = 2)                                                                    Layer down;
    @Pool(kind = PoolKind.GLOBAL_AVERAGE)                                                Layer gap;
    @Dense(units = 10)                                                                   Layer out;
}
