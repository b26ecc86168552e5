package dev.eddy.nexmark;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly like JavaScript's {@code Number.prototype.toString()} (ECMA-262
 * Number::toString): the shortest decimal digits that round-trip (found with exact BigDecimal
 * arithmetic, so it does not depend on the JDK's Double.toString), then plain notation for decimal
 * exponents in [-6, 21) and {@code d.ddde+N} / {@code de-N} otherwise; integral values print without
 * ".0", -0 prints "0", NaN/Infinity print as JSON null.
 */
public final class JsNumber {
    private JsNumber() {}

    public static String toString(double v) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, v);
        return sb.toString();
    }

    public static void append(StringBuilder sb, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null"); // JSON.stringify
            return;
        }
        if (v == 0) {
            sb.append('0');
            return;
        }
        if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
            sb.append((long) v);
            return;
        }
        if (v < 0) {
            sb.append('-');
            v = -v;
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                shortest = r;
                break;
            }
        }
        if (shortest == null) shortest = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        BigDecimal stripped = shortest.stripTrailingZeros();
        String s = stripped.unscaledValue().toString(); // digits, k = s.length()
        int k = s.length();
        int n = k - stripped.scale(); // value = 0.s * 10^n
        if (k <= n && n <= 21) {
            sb.append(s);
            for (int i = 0; i < n - k; i++) sb.append('0');
        } else if (0 < n && n <= 21) {
            sb.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.");
            for (int i = 0; i < -n; i++) sb.append('0');
            sb.append(s);
        } else {
            sb.append(s.charAt(0));
            if (k > 1) sb.append('.').append(s, 1, k);
            int e = n - 1;
            sb.append('e').append(e >= 0 ? '+' : '-').append(Math.abs(e));
        }
    }
}
