//! The states that run sub-machines concurrently: Parallel (every branch on the
//! same input) and inline Map (one iteration per item, bounded by MaxConcurrency).
//! Their events go into the execution's one history.

use futures::{StreamExt, TryStreamExt, future};
use serde_json::Value;

use super::errors::{Attempted, Origin};
use super::{Done, Run, Step, Stop, flow};
use crate::workflow::definition::states::{
    Amount, MapState, Next, ParallelState, ResultFlow, State,
};
use crate::workflow::error::{Failure, names};
use crate::workflow::history::{EventDetails, EventType};
use crate::workflow::jsonata;
use crate::workflow::variables::Scope;

impl Run<'_> {
    pub(super) async fn parallel<'v, C>(
        &self,
        st: &State,
        p: &ParallelState,
        input: Value,
        ctx: &C,
        prev: &mut u64,
    ) -> Result<Step, Failure>
    where
        C: Fn(u32) -> Scope<'v> + Sync,
    {
        let raw = &input;
        let handling = (&p.handling, Origin::Branches);
        self.retrying(handling, raw, ctx, prev, |_, c, mut prev| async move {
            let mut closing = None;
            let outcome = self
                .parallel_once(st, p, raw, &c, &mut prev, &mut closing)
                .await;
            Attempted {
                outcome,
                last: prev,
                closing,
            }
        })
        .await
    }

    async fn parallel_once(
        &self,
        st: &State,
        p: &ParallelState,
        input: &Value,
        c: &Scope<'_>,
        prev: &mut u64,
        closing: &mut Option<EventType>,
    ) -> Result<Step, Failure> {
        let effective = flow::select(&st.input_path, input, c)?;
        let arguments = st.jsonata.as_ref().and_then(|j| j.arguments.as_ref());
        let params = match (&p.parameters, arguments) {
            (_, Some(arguments)) => {
                let states = jsonata::states(&effective, &c.context, None, None);
                arguments.value(&states, c.variables, "Arguments")?
            }
            (Some(t), None) => t.render(&effective, c)?,
            (None, None) => effective.into_owned(),
        };
        let text = flow::text(&params);
        let started = self.rec.record(
            *prev,
            EventType::ParallelStateStarted,
            EventDetails::default(),
        );
        *prev = started;
        let branches = p.branches.iter().map(|b| {
            let scope = c.variables.inner();
            self.machine(b, params.clone(), Some(text.clone()), scope, started)
        });
        let outcome = future::try_join_all(branches).await;
        self.gather(
            outcome,
            started,
            [
                EventType::ParallelStateSucceeded,
                EventType::ParallelStateFailed,
            ],
            (st, &p.flow, p.next),
            (input, c),
            (prev, closing),
        )
    }

    pub(super) async fn map<'v, C>(
        &self,
        st: &State,
        m: &MapState,
        input: Value,
        entered: &str,
        ctx: &C,
        prev: &mut u64,
    ) -> Result<Step, Failure>
    where
        C: Fn(u32) -> Scope<'v> + Sync,
    {
        let raw = &input;
        let handling = (&m.handling, Origin::Branches);
        self.retrying(
            handling,
            raw,
            ctx,
            prev,
            |retry_count, c, mut prev| async move {
                let mut closing = None;
                let outcome = self
                    .map_once(
                        st,
                        m,
                        raw,
                        entered,
                        (retry_count, &c),
                        &mut prev,
                        &mut closing,
                    )
                    .await;
                Attempted {
                    outcome,
                    last: prev,
                    closing,
                }
            },
        )
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn map_once(
        &self,
        st: &State,
        m: &MapState,
        input: &Value,
        entered: &str,
        (retry_count, c): (u32, &Scope<'_>),
        prev: &mut u64,
        closing: &mut Option<EventType>,
    ) -> Result<Step, Failure> {
        let effective = flow::select(&st.input_path, input, c)?;
        let j = st.jsonata.as_deref();
        let expressed = match j.and_then(|j| j.items.as_ref()) {
            Some(items) => {
                let states = jsonata::states(&effective, &c.context, None, None);
                Some(items.value(&states, c.variables, "Items")?)
            }
            None => None,
        };
        let items = match (&expressed, &m.items_path) {
            (Some(items), _) => Some(items),
            (None, None) => Some(effective.as_ref()),
            (None, Some(p)) => p.lookup(&effective, c),
        };
        let Some(Value::Array(items)) = items else {
            return Err(Failure::new(
                names::RUNTIME,
                format!(
                    "The ItemsPath of Map state '{}' must select an array, but selected {}.",
                    st.name,
                    items.map_or_else(|| "nothing".to_owned(), flow::text)
                ),
            ));
        };
        let limit = match (
            j.and_then(|j| j.max_concurrency.as_ref()),
            &m.max_concurrency,
        ) {
            (Some(limit), _) => {
                let states = jsonata::states(&effective, &c.context, None, None);
                let value = limit.value(&states, c.variables, "MaxConcurrency")?;
                value.as_u64().ok_or_else(|| {
                    Failure::new(
                        jsonata::QUERY_EVALUATION_ERROR,
                        format!(
                            "The MaxConcurrency of Map state '{}' must give a whole number, not {}.",
                            st.name,
                            flow::text(&value)
                        ),
                    )
                })?
            }
            (None, None) => 0,
            (None, Some(Amount::Fixed(n))) => *n,
            (None, Some(Amount::Path(p))) => {
                match p.lookup(&effective, c).and_then(Value::as_u64) {
                    Some(n) => n,
                    None => {
                        return Err(Failure::new(
                            names::RUNTIME,
                            format!(
                                "MaxConcurrencyPath '{}' of Map state '{}' must select a whole number.",
                                p.as_str(),
                                st.name
                            ),
                        ));
                    }
                }
            }
        };
        let started = self.rec.record(
            *prev,
            EventType::MapStateStarted,
            EventDetails {
                length: Some(items.len() as u64),
                ..EventDetails::default()
            },
        );
        *prev = started;
        let effective = &effective;
        let iteration = |index: usize| {
            let item = &items[index];
            async move {
                self.limits.check(&self.rec).map_err(|failure| Stop {
                    failure,
                    last: started,
                })?;
                let details = || EventDetails {
                    name: Some(st.name.clone()),
                    index: Some(index as u64),
                    ..EventDetails::default()
                };
                let selector = j.and_then(|j| j.item_selector.as_ref());
                let item_input = match (&m.item_selector, selector) {
                    (_, Some(selector)) => {
                        let context =
                            self.context(&st.name, entered, Some(retry_count), Some((index, item)));
                        let states = jsonata::states(effective, &context, None, None);
                        selector
                            .value(&states, c.variables, "ItemSelector")
                            .map_err(|e| Stop {
                                failure: e,
                                last: started,
                            })?
                    }
                    (None, None) => item.clone(),
                    (Some(t), None) => {
                        let ictx = Scope {
                            context: self.context(
                                &st.name,
                                entered,
                                Some(retry_count),
                                Some((index, item)),
                            ),
                            variables: c.variables,
                        };
                        t.render(effective, &ictx).map_err(|e| Stop {
                            failure: e,
                            last: started,
                        })?
                    }
                };
                let it = self
                    .rec
                    .record(started, EventType::MapIterationStarted, details());
                let scope = c.variables.inner();
                match self
                    .machine(&m.processor, item_input, None, scope, it)
                    .await
                {
                    Ok(done) => {
                        let last =
                            self.rec
                                .record(done.last, EventType::MapIterationSucceeded, details());
                        Ok(Done { last, ..done })
                    }
                    Err(stop) => {
                        let last = self.rec.record(
                            stop.last,
                            EventType::MapIterationFailed,
                            EventDetails {
                                error: Some(stop.failure.error.clone()),
                                cause: stop.failure.recorded_cause(),
                                ..details()
                            },
                        );
                        Err(Stop { last, ..stop })
                    }
                }
            }
        };
        let width = match usize::try_from(limit) {
            Ok(0) | Err(_) => items.len().max(1),
            Ok(n) => n,
        };
        let outcome: Result<Vec<Done>, Stop> = futures::stream::iter(0..items.len())
            .map(iteration)
            .buffered(width)
            .try_collect()
            .await;
        self.gather(
            outcome,
            started,
            [EventType::MapStateSucceeded, EventType::MapStateFailed],
            (st, &m.flow, m.next),
            (input, c),
            (prev, closing),
        )
    }

    /// The end of a Parallel or Map state: the succeeded event and the array of results
    /// through ResultSelector/ResultPath/OutputPath, or the failure, with the failed event
    /// left in `closing` for `retrying` to record once no retry follows.
    fn gather(
        &self,
        outcome: Result<Vec<Done>, Stop>,
        started: u64,
        [succeeded, failed]: [EventType; 2],
        (st, result_flow, next): (&State, &ResultFlow, Next),
        (input, c): (&Value, &Scope<'_>),
        (prev, closing): (&mut u64, &mut Option<EventType>),
    ) -> Result<Step, Failure> {
        match outcome {
            Ok(done) => {
                let last = done.iter().map(|d| d.last).max().unwrap_or(started);
                *prev = self.rec.record(last, succeeded, EventDetails::default());
                let results = Value::Array(done.into_iter().map(|d| d.value).collect());
                let states = || jsonata::states(input, &c.context, Some(&results), None);
                let assigned = flow::assign(st.assign.as_ref(), &results, states, c)?;
                if let Some(j) = &st.jsonata {
                    let output = j.output.as_ref();
                    let value = match output {
                        Some(_) => flow::jsonata_output(output, Value::Null, states, c)?,
                        None => results,
                    };
                    return Ok(Step {
                        value,
                        text: None,
                        next,
                        assigned,
                    });
                }
                let out = flow::result(result_flow, input.clone(), results, c)?;
                Ok(Step {
                    value: flow::output(&st.output_path, out, c)?,
                    text: None,
                    next,
                    assigned,
                })
            }
            Err(stop) => {
                *prev = stop.last;
                *closing = Some(failed);
                Err(stop.failure)
            }
        }
    }
}
