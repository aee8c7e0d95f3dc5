#pragma once
// Everything a user of the estimators library needs.

#include "scorebench/batch.hpp"
#include "scorebench/log_density.hpp"
#include "scorebench/method.hpp"
#include "scorebench/parameterization.hpp"
#include "scorebench/registry.hpp"
#include "scorebench/result.hpp"
