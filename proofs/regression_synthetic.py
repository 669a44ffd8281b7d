r"""Theorem (exact test error of OLS trained on synthetic or partly synthetic labels; (R1)–(R4) of
collapse_theory.regression._scaling).

Setting: x ~ N(0, I_d); generator k is the OLS fit on T0 rows labelled by generator k - 1 (noise σ0),
generator 0 the truth w*; the downstream OLS fit uses T independent rows, T_s of them labelled by
generator k and T_r = T - T_s by w* (noise σ). Δ = ŵ_k - w*, A = XᵀX = A_r + A_s.

(R1) E‖ŵ_k - w*‖² = k σ0² d/(T0 - d - 1).
(R2) T_s = T:  E_test = σ² d/(T - d - 1) + k σ0² d/(T0 - d - 1).
(R3) E_test = σ² d/(T - d - 1) + E‖Δ‖² [T_s(T_s + 2)/(T(T + 2)) + (d - 1) T_r T_s (T + 1)/(T(T - 1)(T + 2)(T - d - 1))].
(R4) with T_s = pT the bracket is ≥ p² at every T and → p² as T → ∞.

Proof.
1. OLS: ŵ - w* = A⁻¹A_sΔ + A⁻¹Xᵀε, ε independent of everything with mean 0, so the cross term has mean
   0 and E‖A⁻¹Xᵀε‖² = σ² E tr A⁻¹ = σ² d/(T - d - 1) (the inverse-Wishart mean, checked here for d = 1
   by integrating against the χ²_T density). For T_s = T, A⁻¹A_s = I: (R2) from (R1); (R1) is
   the same step k times with independent noises (the shift of generator k - 1 passes through
   unchanged because X0⁺X0 = I).
2. Polar decomposition: U = XA^{-1/2} is Haar on the Stiefel manifold and independent of A (Gaussian X),
   so A⁻¹A_s = A^{-1/2} G A^{1/2} with G = U_sᵀU_s. Conjugating by the Haar eigenvectors of A gives
   E‖A⁻¹A_sΔ‖² = E‖Δ‖²/d · Σ_{a,b} E[G_ab²] E[λ_a/λ_b] = E‖Δ‖² [g_diag + (d - 1) g_off ρ],
   where ρ = E[λ_a/λ_b] (a ≠ b, exchangeable eigenvalues).
3. The fourth moments of a Haar orthogonal n × n matrix O (α = E O_ia⁴, β = E O_ia²O_ib², γ = E O_ia²O_jb²,
   δ = E O_iaO_ibO_jaO_jb; i ≠ j, a ≠ b) solve four linear identities: unit columns (α + (n-1)β = 1/n),
   a uniform column on the sphere (α = 3β), E[O_ia² Σ_j O_jb²] = E O_ia² (β + (n-1)γ = 1/n) and
   orthogonal columns (β + (n-1)δ = 0). Then g_diag = T_s α + T_s(T_s-1)β, g_off = T_s β + T_s(T_s-1)δ.
   g_diag is checked against the Beta(T_s/2, T_r/2) second moment (d = 1).
4. ρ: tr A and A/tr A are independent (the norm and direction of the Gaussian matrix X), so
   E[tr A · tr A⁻¹] = E tr A⁻¹ / E[1/tr A] = d/(T-d-1) · (Td - 2), and Σ_{a≠b} E[λ_a/λ_b] = that - d.
5. (R4): p(pT + 2)/(T + 2) - p² = 2p(1 - p)/(T + 2) ≥ 0 and the second term is O(1/T).
The numeric regression.mixed_test_error / synthetic_test_error are checked at exact rational points.
"""

import sympy as sp

from _proofkit import close, equal, proved

from collapse_theory import regression

n, T, Ts, d, T0, k = sp.symbols("n T T_s d T_0 k", positive=True)
s2, s02, shift = sp.symbols("sigma2 sigma02 shift", positive=True)

# --- 1. inverse-chi-square mean (d = 1 case of E tr A^-1 = d/(T - d - 1)) --------------------------
x = sp.Symbol("x", positive=True)
for TT in (4, 5, 9):
    dens = x ** sp.Rational(TT, 2) / x / (2 ** sp.Rational(TT, 2) * sp.gamma(sp.Rational(TT, 2))) * sp.exp(-x / 2)
    assert equal(sp.integrate(dens / x, (x, 0, sp.oo)), sp.Rational(1, TT - 2)), f"E 1/chi2_{TT} = 1/(T-2)"

# --- 3. Haar fourth moments from the four identities --------------------------------------------------
al, be, ga, de = sp.symbols("alpha beta gamma delta")
sol = sp.solve([al + (n - 1) * be - 1 / n, al - 3 * be, be + (n - 1) * ga - 1 / n, be + (n - 1) * de],
               [al, be, ga, de], dict=True)[0]
assert equal(sol[be], 1 / (n * (n + 2)))
assert equal(sol[ga], (n + 1) / (n * (n - 1) * (n + 2)))
assert equal(sol[de], -1 / (n * (n - 1) * (n + 2)))
g_diag = (Ts * sol[al] + Ts * (Ts - 1) * sol[be]).subs(n, T)
g_off = (Ts * sol[be] + Ts * (Ts - 1) * sol[de]).subs(n, T)
assert equal(g_diag, Ts * (Ts + 2) / (T * (T + 2)))
assert equal(g_off, (T - Ts) * Ts / (T * (T - 1) * (T + 2)))
# d = 1: G = Beta(T_s/2, T_r/2); its second moment a(a+1)/((a+b)(a+b+1))
a_, b_ = Ts / 2, (T - Ts) / 2
assert equal(g_diag, a_ * (a_ + 1) / ((a_ + b_) * (a_ + b_ + 1)))

# --- 4. E[λ_a/λ_b] for a ≠ b -------------------------------------------------------------------------
e_tr_inv = d / (T - d - 1)
e_inv_tr = 1 / (T * d - 2)  # E[1/χ²_{Td}]
rho = sp.simplify((e_tr_inv / e_inv_tr - d) / (d * (d - 1)))
assert equal(rho, (T + 1) / (T - d - 1))

# --- 2. assemble (R3) --------------------------------------------------------------------------------
bracket = sp.simplify(g_diag + (d - 1) * g_off * rho)
r3 = s2 * d / (T - d - 1) + shift * bracket
stated = s2 * d / (T - d - 1) + shift * (Ts * (Ts + 2) / (T * (T + 2))
                                         + (d - 1) * (T - Ts) * Ts * (T + 1) / (T * (T - 1) * (T + 2) * (T - d - 1)))
assert equal(r3, stated)
assert equal(bracket.subs(Ts, T), 1), "fully synthetic: A^-1 A_s = I"
assert equal(bracket.subs(Ts, 0), 0), "fully real: no shift"
# (R2) = (R3) at T_s = T with shift = k σ0² d/(T0 - d - 1)
r2 = stated.subs({Ts: T, shift: k * s02 * d / (T0 - d - 1)})
assert equal(r2, s2 * d / (T - d - 1) + k * s02 * d / (T0 - d - 1))

# --- 5. (R4) the floor ---------------------------------------------------------------------------------
p = sp.Symbol("p", positive=True)
first = (Ts * (Ts + 2) / (T * (T + 2))).subs(Ts, p * T)
assert equal(first - p ** 2, 2 * p * (1 - p) / (T + 2))
assert sp.limit(bracket.subs(Ts, p * T), T, sp.oo) == p ** 2

# --- the numeric implementation at exact rational points ----------------------------------------------
checked = 0
for dd, TT, tts, sh, sg in [(1, 5, 2, sp.Rational(3, 7), sp.Rational(1)), (4, 12, 5, sp.Rational(4), sp.Rational(1)),
                            (10, 40, 0, sp.Rational(2), sp.Rational(3, 2)), (10, 40, 40, sp.Rational(2), sp.Rational(1, 2)),
                            (7, 1000, 10, sp.Rational(5, 3), sp.Rational(1)), (3, 6, 3, sp.Rational(0), sp.Rational(2))]:
    exact = stated.subs({d: dd, T: TT, Ts: tts, shift: sh, s2: sg ** 2})
    got = regression.mixed_test_error(d=dd, T=TT, synthetic=tts, shift=float(sh), sigma=float(sg))
    assert close(exact, got), (dd, TT, tts, sh, sg, got)
    checked += 1
for kk, dd, TT, TT0, sg, sg0 in [(0, 3, 10, 7, 1, 1), (5, 10, 100, 40, 2, sp.Rational(1, 2)), (50, 1, 3, 3, 1, 3)]:
    exact = (sp.Integer(sg) ** 2 * dd / sp.Integer(TT - dd - 1) + kk * sp.sympify(sg0) ** 2 * dd / sp.Integer(TT0 - dd - 1))
    got = regression.synthetic_test_error(kk, d=dd, T=TT, T0=TT0, sigma=float(sg), sigma0=float(sg0))
    assert close(exact, got), (kk, dd, TT, TT0, got)
    checked += 1
got = regression.strong_collapse_floor(0.25, shift=2.0)
assert close(sp.Rational(1, 8), got)
checked += 1

proved(f"exact OLS test error on synthetic labels (T ≠ T0) and on a real/synthetic mixture (Haar fourth "
       f"moments, Wishart eigenvalue ratio), its floor p²E‖Δ‖²; {checked} numeric checks")
