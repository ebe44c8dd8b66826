// The root certificate (PEM) that signs your TaxiWatch edge's TLS certificate, e.g. ISRG Root X1 for a Let's
// Encrypt certificate, pasted between the quotes. Left empty, the unit refuses https:// endpoints (it never
// connects without checking the server), and only http:// ones work — for a lab, never for a fleet.
#pragma once

namespace tw::esp32 {

constexpr const char kRootCaPem[] = "";

}  // namespace tw::esp32
