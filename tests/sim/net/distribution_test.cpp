
TEST_CASE("re-centring any shape on zero gives a zero delay (a zone to itself in a matrix)") {
  mt::sim::Rng rng(7);
  for (auto d : {mt::sim::Distribution::lognormal(5000, 0.3), mt::sim::Distribution::pareto(5000, 1.5),
                 mt::sim::Distribution::normal(5000, 100), mt::sim::Distribution::uniform(1000, 9000)}) {
    auto z = d.with_centre(0);
    CHECK(z.validate().ok());
    CHECK(z.sample(rng) == 0.0);
  }
}
