package dev.eddy.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** JsNumber against values printed by JavaScript's String(x) (node). */
class JsNumberTest {
    @Test
    void printsLikeJavaScript() {
        assertEquals("0", JsNumber.toString(0.0));
        assertEquals("0", JsNumber.toString(-0.0));
        assertEquals("1", JsNumber.toString(1.0));
        assertEquals("-42", JsNumber.toString(-42.0));
        assertEquals("0.1", JsNumber.toString(0.1));
        assertEquals("0.30000000000000004", JsNumber.toString(0.1 + 0.2));
        assertEquals("90.8", JsNumber.toString(100 * 0.908));
        assertEquals("0.30000000000000004", JsNumber.toString(0.1 + 0.2));
        assertEquals("908", JsNumber.toString(1000 * 0.908));
        assertEquals("123.456", JsNumber.toString(123.456));
        assertEquals("0.000001", JsNumber.toString(1e-6));
        assertEquals("1e-7", JsNumber.toString(1e-7));
        assertEquals("1.5e-7", JsNumber.toString(1.5e-7));
        assertEquals("100000000000000000000", JsNumber.toString(1e20));
        assertEquals("1e+21", JsNumber.toString(1e21));
        assertEquals("1.2345e+21", JsNumber.toString(1.2345e21));
        assertEquals("2e+23", JsNumber.toString(2e23));
        assertEquals("5e-324", JsNumber.toString(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", JsNumber.toString(Double.MAX_VALUE));
        assertEquals("9007199254740992", JsNumber.toString(9007199254740992.0));
        assertEquals("12345678.5", JsNumber.toString(12345678.5));
        assertEquals("null", JsNumber.toString(Double.NaN));
    }
}
