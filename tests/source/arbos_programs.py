"""The five compiled arbos-tests programs (conformance/arbos-tests/*.mexe)."""

PROGRAMS = ["upgradetests_upgrade1_old", "upgradetests_upgrade1_new", "upgradetests_regcopy_old",
            "upgradetests_regcopy_new", "looptest_upgrade2_base"]
